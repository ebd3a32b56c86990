import { describe, expect, it } from 'vitest';
import { DagCycleError } from '../src/given/dag-cycle-error.ts';
import { CompilationError } from '../src/jinja/compilation-error.ts';
import { buildTemp } from './fixtures/projects/load-fixture.ts';

/** The error a project gives, as the CLI prints it (message and hint). */
function failure(
  files: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): { message: string; hint: string | undefined; error: unknown } {
  try {
    buildTemp(files, env);
  } catch (error) {
    return { message: (error as Error).message, hint: (error as { hint?: string }).hint, error };
  }
  throw new Error('expected the project to fail');
}

const orders = {
  'models/stg_orders.sql': 'select 1 as id',
  'models/orders.sql': "select *\nfrom {{ ref('stg_ordrs') }}",
};

describe('project errors name the file, line and column', () => {
  it('an unknown ref: dbt message, file:line:col, closest names', () => {
    const { message, hint, error } = failure(orders);
    expect(error).toBeInstanceOf(CompilationError);
    expect(message).toMatch(
      /^models\/orders\.sql:2:\d+: Model 'model\.p\.orders' \(models\/orders\.sql\) depends on a node named 'stg_ordrs' which was not found$/,
    );
    expect(hint).toBe("Did you mean 'stg_orders'?");
  });

  it('an unknown source, and a ref to a disabled model', () => {
    const source = failure({
      'models/s.yml': 'sources:\n  - name: raw\n    tables:\n      - name: orders\n',
      'models/m.sql': "\n\nselect * from {{ source('raw', 'ordres') }}",
    });
    expect(source.message).toMatch(
      /^models\/m\.sql:3:\d+: Model 'model\.p\.m' \(models\/m\.sql\) depends on a source named 'raw\.ordres' which was not found$/,
    );
    expect(source.hint).toBe("Did you mean 'raw.orders'?");
    const disabled = failure({
      'models/a.sql': '{{ config(enabled=false) }}select 1',
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    expect(disabled.message).toContain("depends on a node named 'a' which is disabled");
  });

  it('a cycle is the dag-order piece DagCycleError naming it', () => {
    const { error, message } = failure({
      'models/a.sql': "select * from {{ ref('b') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    expect(error).toBeInstanceOf(DagCycleError);
    expect(message).toBe('Found a cycle: model.p.a --> model.p.b --> model.p.a');
  });

  it('Jinja syntax errors, undefined names, missing vars and env vars', () => {
    expect(failure({ 'models/m.sql': "select\n  a,\n  b from {{ ref('m' }}" }).message).toBe(
      'models/m.sql:3:21: expected comma after expression',
    );
    expect(failure({ 'models/m.sql': 'select 1\n{% if x %}\nfrom t\n' }).message).toMatch(
      /^models\/m\.sql: .*expected elif, else, or endif, got end of file/,
    );
    expect(failure({ 'models/m.sql': 'select\n  {{ my_macro(1) }}' }).message).toBe(
      "models/m.sql:2:14: 'my_macro' is undefined",
    );
    const missingVar = failure({ 'models/m.sql': "select {{ var('start') }}" });
    expect(missingVar.message).toMatch(/^models\/m\.sql:1:\d+: Required var 'start' not found in config/);
    expect(missingVar.hint).toContain('--vars');
    expect(failure({ 'models/m.sql': "select '{{ env_var('NOPE') }}'" }).message).toMatch(
      /^models\/m\.sql:1:\d+: Env var required but not provided: 'NOPE'$/,
    );
    expect(buildTemp({ 'models/m.sql': "select '{{ env_var('YES') }}' as v" }, { YES: 'ok' }).manifest.nodes.size).toBe(
      1,
    );
  });

  it('an error inside a macro is reported in the macro file, where it is', () => {
    const { message } = failure({
      'macros/bad.sql': '{% macro boom(x) %}\n  select\n  {{ x.nope.deeper }}\n{% endmacro %}',
      'models/m.sql': 'select\n{{ boom(1) }}',
    });
    expect(message).toMatch(/^macros\/bad\.sql:3:\d+: 'x\["nope"\]' is undefined$/);
  });

  it('unsupported constructs say what to do instead', () => {
    const dispatch = failure({ 'models/m.sql': "select\n  1\n  {{ adapter.dispatch('x', 'pkg')(1) }}" });
    expect(dispatch.message).toBe('models/m.sql:3:13: adapter.dispatch is not supported');
    expect(dispatch.hint).toContain('Call the implementation macro directly');
    const query = failure({ 'models/m.sql': "{% set rows = run_query('select 1') %}select 1" });
    expect(query.message).toMatch(/^models\/m\.sql:1:\d+: run_query\(\) is not supported$/);
    expect(query.hint).toContain('write the SQL directly');
    const statement = failure({
      'models/m.sql': "{% call statement('main', fetch_result=True) %}select 1{% endcall %}",
    });
    expect(statement.message).toMatch(/statement\(\) is not supported/);
    const utils = failure({ 'models/m.sql': "select {{ dbt_utils.star(ref('x')) }}" });
    expect(utils.message).toMatch(
      /^models\/m\.sql:1:\d+: 'dbt_utils' is undefined: packages \(dbt_utils\.…\) are not supported$/,
    );
    expect(utils.hint).toContain('Copy the macro you need into macros/');
    const materialization = failure({
      'macros/m.sql': '{% materialization my_view, default %}x{% endmaterialization %}',
    });
    expect(materialization.message).toMatch(/^macros\/m\.sql:1:4: custom materializations/);
    expect(failure({ 'models/m.py': 'def model(dbt, session): pass' }).message).toBe(
      'models/m.py:1:1: Python models are not supported',
    );
    const packageTest = failure({
      'models/m.sql': 'select 1 as id',
      'models/m.yml':
        'models:\n  - name: m\n    data_tests:\n      - dbt_utils.expression_is_true:\n          expression: "id > 0"\n',
    });
    expect(packageTest.message).toMatch(
      /^models\/m\.yml:4:9: the test 'dbt_utils\.expression_is_true' comes from the package dbt_utils/,
    );
  });

  it('yml mistakes: an unknown generic test, a bad severity, two entries for one model, invalid YAML', () => {
    const unknown = failure({
      'models/m.sql': 'select 1 as id',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [uniqe]\n',
    });
    expect(unknown.message).toBe("models/m.yml:5:22: unknown generic test 'uniqe'");
    expect(unknown.hint).toMatch(/^Did you mean 'unique'\?/);
    const severity = failure({
      'models/m.sql': 'select 1 as id',
      'models/m.yml':
        'models:\n  - name: m\n    data_tests:\n      - not_null:\n          column_name: id\n          severity: fatal\n',
    });
    expect(severity.message).toBe("models/m.yml:4:9: Severity must be either 'warn' or 'error'. Got 'FATAL'");
    const twice = failure({
      'models/m.sql': 'select 1',
      'models/a.yml': 'models:\n  - name: m\n',
      'models/b.yml': 'models:\n  - name: m\n',
    });
    expect(twice.message).toBe("models/b.yml:2:5: dbt found two properties entries for the model 'm'");
    expect(failure({ 'models/m.yml': 'models:\n  - name: m\n   bad: [\n' }).message).toMatch(
      /^models\/m\.yml:3:\d+: not valid YAML/,
    );
  });

  it('a test pointing at a missing model is skipped with a warning, like dbt', () => {
    const { manifest } = buildTemp({
      'models/m.sql': 'select 1 as id',
      'models/m.yml':
        "models:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref('nope')\n              field: id\n",
    });
    expect([...manifest.nodes.keys()]).toEqual(['model.p.m']);
    expect(manifest.warnings[0]).toMatch(
      /^Test 'test\.p\.relationships_m_id__id__ref_nope_\.[0-9a-f]{10}' \(models\/m\.yml\) depends on a node named 'nope' which was not found; the test is skipped\.$/,
    );
  });
});
