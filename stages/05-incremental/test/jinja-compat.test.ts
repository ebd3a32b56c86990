// The 62 Jinja constructs of the nunjucks/Jinja2 evaluation (notes/jinja-eval/src/cases.ts),
// each rendered through the runner's Jinja and compared with what Jinja2 as dbt sets it
// up renders (checked against real Jinja2 3.1.6). Each pins one compatibility patch.
import { describe, expect, it } from 'vitest';
import { DbtJinja } from '../src/jinja/dbt-jinja.ts';
import { JinjaRelation } from '../src/jinja/jinja-relation.ts';
import type { RenderScope } from '../src/jinja/render-scope.ts';

interface Probe {
  config: Record<string, unknown>;
  logs: string[];
  refs: string[][];
}
interface Case {
  id: string;
  group: string;
  tpl: string;
  expect: string;
  macroFiles?: Record<string, string>;
  opts?: { vars?: Record<string, unknown>; incremental?: boolean };
  ctx?: Record<string, unknown>;
  check?: (m: Probe) => string | null;
}

const MACROS = {
  'macros/money.sql': `{% macro cents_to_dollars(col, scale=2) -%}
round({{ col }} / 100.0, {{ scale }})
{%- endmacro %}`,
  'macros/util.sql': `{% macro cols(prefix) -%}
{%- set out = [] -%}
{%- for c in ['a','b'] %}{% do out.append(prefix ~ c) %}{% endfor -%}
{{ return(out) }}
{%- endmacro %}
{% macro wrap() %}[{{ caller() }}]{% endmacro %}
{% macro uses_this() %}{{ this }}{% endmacro %}`,
};

const cases: Case[] = [
  // 1 relations
  { id: 'ref(m)', group: '1', tpl: "select * from {{ ref('m') }}", expect: 'select * from "warehouse"."main"."m"' },
  { id: 'ref(pkg,m)', group: '1', tpl: "{{ ref('pkg', 'm') }}", expect: '"warehouse"."main"."m"' },
  { id: 'source(s,t)', group: '1', tpl: "{{ source('raw','orders') }}", expect: '"warehouse"."raw"."orders"' },
  {
    id: 'ref(m).identifier',
    group: '1',
    tpl: "{{ ref('m').identifier }}|{{ this.schema }}",
    expect: 'm|main',
    check: (m) => (m.refs.length === 1 ? null : `ref() called ${m.refs.length}x`),
  },
  // 2 kwargs
  {
    id: 'config(kwargs)',
    group: '2',
    tpl: "{{ config(materialized='incremental', unique_key=['a','b']) }}x",
    expect: 'x',
    check: (m) =>
      JSON.stringify(m.config) === '{"materialized":"incremental","unique_key":["a","b"]}'
        ? null
        : `config captured ${JSON.stringify(m.config)}`,
  },
  // 3 dbt globals
  {
    id: 'var default',
    group: '3',
    tpl: "{{ var('x', 'dflt') }}/{{ var('y', 'd') }}",
    expect: 'dflt/7',
    opts: { vars: { y: 7 } },
  },
  { id: 'env_var', group: '3', tpl: "{{ env_var('X', 'd') }}/{{ env_var('NOPE', 'd') }}", expect: 'from-env/d' },
  { id: 'this', group: '3', tpl: '{{ this }}', expect: '"warehouse"."main"."my_model"' },
  {
    id: 'is_incremental()',
    group: '3',
    tpl: '{% if is_incremental() %}inc{% else %}full{% endif %}',
    expect: 'inc',
    opts: { incremental: true },
  },
  { id: 'target.name/.schema', group: '3', tpl: '{{ target.name }}.{{ target.schema }}', expect: 'dev.main' },
  // 4 core syntax
  { id: 'set list', group: '4', tpl: "{% set xs = ['a','b'] %}{{ xs | join(',') }}", expect: 'a,b' },
  { id: "set dict + d['k'] + d.k", group: '4', tpl: "{% set d = {'k': 1} %}{{ d['k'] }}{{ d.k }}", expect: '11' },
  {
    id: 'loop.index/first/last',
    group: '4',
    tpl: "{% for x in ['a','b'] %}{{ loop.index }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %};{% endfor %}",
    expect: '1F;2L;',
  },
  {
    id: '{{ true }} prints True (Python)',
    group: 'py',
    tpl: '{{ 1 == 1 }}/{{ loop_free is defined }}',
    expect: 'True/False',
  },
  {
    id: 'loop.index0/length',
    group: '4',
    tpl: "{% for x in ['a','b','c'] %}{{ loop.index0 }}/{{ loop.length }} {% endfor %}",
    expect: '0/3 1/3 2/3 ',
  },
  {
    id: 'for k, v in d.items()',
    group: '4',
    tpl: "{% set d = {'a': 1, 'b': 2} %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    expect: 'a=1;b=2;',
  },
  {
    id: 'if/elif/else',
    group: '4',
    tpl: '{% set n = 2 %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %}',
    expect: 'two',
  },
  {
    id: 'whitespace {%- -%} {{- -}}',
    group: '4',
    tpl: "a  \n  {%- if true -%}  \n b \n {%- endif %}  {{- ' c ' -}}  d",
    expect: 'ab c d',
  },
  { id: 'no trim_blocks (Jinja default)', group: '4', tpl: '{% if true %}\nx\n{% endif %}\n', expect: '\nx\n' },
  { id: 'comment {# #}', group: '4', tpl: 'a{# hidden {{ x }} #}b', expect: 'ab' },
  {
    id: 'filters lower/upper/replace/trim/length',
    group: '4',
    tpl: "{{ 'AbC'|lower }}{{ 'x'|upper }}{{ 'a-b-c'|replace('-', '_') }}{{ '  t  '|trim }}{{ [1,2,3]|length }}",
    expect: 'abcXa_b_ct3',
  },
  {
    id: 'default filter',
    group: '4',
    tpl: "{{ missing | default('dv') }}|{{ none | default('dn', true) }}",
    expect: 'dv|dn',
  },
  { id: '~ concat', group: '4', tpl: "{{ 'a' ~ 1 ~ 'b' }}", expect: 'a1b' },
  {
    id: 'in operator',
    group: '4',
    tpl: "{% if 'a' in ['a','b'] %}1{% endif %}{% if 'z' not in ['a'] %}2{% endif %}{% if 'k' in {'k':1} %}3{% endif %}{% if 'ell' in 'hello' %}4{% endif %}",
    expect: '1234',
  },
  {
    id: 'is none / is not none',
    group: '4',
    tpl: '{% set x = none %}{% if x is none %}n{% endif %}{% if 1 is not none %}v{% endif %}',
    expect: 'nv',
  },
  {
    id: '|list',
    group: '4',
    tpl: "{{ ('ab'|list)|join('-') }}|{{ ({'a':1}.keys()|list)|join(',') }}",
    expect: 'a-b|a',
  },
  {
    id: 'range()',
    group: '4',
    tpl: "{% for i in range(3) %}{{ i }}{% endfor %}|{{ range(1,4)|join(',') }}",
    expect: '012|1,2,3',
  },
  { id: "'{}'.format()", group: '4', tpl: "{{ '{}_{}'.format('a', 1) }}", expect: 'a_1' },
  { id: "'%s' % x formatting", group: '4', tpl: "{{ '%s_%s' % ('a', 1) }}", expect: 'a_1' },
  {
    id: "tuple literal / x in ('a','b')",
    group: '4',
    tpl: "{% set t = ('a', 'b') %}{{ t|length }}{% if 'b' in ('a', 'b') %}y{% endif %}{{ t[0] }}",
    expect: '2ya',
  },
  {
    id: 'for a, b in list of tuples',
    group: '4',
    tpl: "{% for a, b in [('x', 1), ('y', 2)] %}{{ a }}{{ b }}{% endfor %}",
    expect: 'x1y2',
  },
  { id: 'dbt filters as_number/as_text', group: '4', tpl: "{{ '3'|as_number }}{{ 'x'|as_text }}", expect: '3x' },
  {
    id: '{% set x %}block{% endset %}',
    group: '4',
    tpl: '{% set q %}select {{ 1 }}{% endset %}[{{ q }}]',
    expect: '[select 1]',
  },
  {
    id: 'for/else + break/continue',
    group: '4',
    tpl: '{% for i in range(5) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}|{% for i in [] %}x{% else %}empty{% endfor %}',
    expect: '02|empty',
  },
  {
    id: 'set in loop does not leak (scoping)',
    group: '4',
    tpl: '{% set n = 0 %}{% for i in range(3) %}{% set n = n + i %}{% endfor %}{{ n }}',
    expect: '0',
  },
  {
    id: 'set inside if is visible after (no scope)',
    group: '4',
    tpl: '{% if true %}{% set a = 1 %}{% endif %}{{ a }}{% for i in [1] %}{% if true %}{% set b = 2 %}{% endif %}{{ b }}{% endfor %}{% macro m() %}{% set c = 3 %}{% if true %}{% set c = 4 %}{% endif %}{{ c }}{% endmacro %}{{ m() }}',
    expect: '124',
  },
  {
    id: 'namespace() counter',
    group: '4',
    tpl: '{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}',
    expect: '3',
  },
  {
    id: 'modules.datetime (JS object global)',
    group: 'py',
    ctx: {
      modules: {
        datetime: {
          date: (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        },
      },
    },
    tpl: '{{ modules.datetime.date(2024, 1, 2) }}',
    expect: '2024-01-02',
  },
  { id: 'ternary x if c else y', group: '4', tpl: "{{ 'a' if true else 'b' }}", expect: 'a' },
  { id: "autoescape off: <>&' untouched", group: '11', tpl: '{{ "a<b & \'c\'" }}', expect: "a<b & 'c'" },
  {
    id: "undefined prints '' ; target.nope prints ''",
    group: '11',
    tpl: '[{{ missing }}][{{ target.nope }}]',
    expect: '[][]',
  },
  // python semantics
  { id: '{{ none }} / None', group: 'py', tpl: '[{{ none }}][{{ None }}]', expect: '[None][None]' },
  { id: 'True/False capitalised', group: 'py', tpl: '{% if True and not False %}ok{% endif %}', expect: 'ok' },
  { id: 'str.upper()/strip()', group: 'py', tpl: "{{ 'ab'.upper() }}[{{ '  x '.strip() }}]", expect: 'AB[x]' },
  { id: "str.split(',')", group: 'py', tpl: "{% for p in 'a,b'.split(',') %}{{ p }};{% endfor %}", expect: 'a;b;' },
  { id: 'str.startswith()', group: 'py', tpl: "{% if 'stg_x'.startswith('stg_') %}y{% endif %}", expect: 'y' },
  { id: 'dict.get(k, d)', group: 'py', tpl: "{% set d = {'a': 1} %}{{ d.get('a') }}{{ d.get('z', 9) }}", expect: '19' },
  {
    id: 'dict.update() in do',
    group: 'py',
    tpl: "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d|length }}",
    expect: '2',
  },
  { id: 'list slicing xs[1:]', group: 'py', tpl: "{{ ['a','b','c'][1:]|join(',') }}", expect: 'b,c' },
  { id: 'str.replace() all', group: 'py', tpl: "{{ 'a-b-c'.replace('-', '_') }}", expect: 'a_b_c' },
  { id: "', '.join(xs)", group: 'py', tpl: "{{ ', '.join(['a','b']) }}", expect: 'a, b' },
  // 5 macros
  {
    id: 'local macro + default arg',
    group: '5',
    tpl: '{% macro m(a, b=2) %}{{ a }}+{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(a=5, b=6) }}',
    expect: '1+2 1+3 5+6',
  },
  {
    id: 'cross-file macro (positional/kw/default)',
    group: '5',
    macroFiles: MACROS,
    tpl: "{{ cents_to_dollars('amt') }} {{ cents_to_dollars('amt', 4) }} {{ cents_to_dollars(col='x', scale=0) }}",
    expect: 'round(amt / 100.0, 2) round(amt / 100.0, 4) round(x / 100.0, 0)',
  },
  {
    id: "cross-file macro sees model's this",
    group: '5',
    macroFiles: MACROS,
    tpl: '{{ uses_this() }}',
    expect: '"warehouse"."main"."my_model"',
  },
  {
    id: 'local {% call %} + caller()',
    group: '5',
    tpl: '{% macro w() %}[{{ caller() }}]{% endmacro %}{% call w() %}in{% endcall %}',
    expect: '[in]',
  },
  {
    id: '{% call %} + caller() (cross-file)',
    group: '5',
    macroFiles: MACROS,
    tpl: '{% call wrap() %}inner{% endcall %}',
    expect: '[inner]',
  },
  // 6 dbt-specific
  {
    id: 'log(msg, info=True)',
    group: '6',
    tpl: "{{ log('hello', info=True) }}ok",
    expect: 'ok',
    check: (m) => (m.logs[0] === 'hello' ? null : `logs=${JSON.stringify(m.logs)}`),
  },
  {
    id: '{% do xs.append(1) %}',
    group: '6',
    tpl: "{% set xs = [] %}{% do xs.append(1) %}{% do xs.append(2) %}{{ xs|join(',') }}",
    expect: '1,2',
  },
  {
    id: 'return(x) from macro',
    group: '6',
    macroFiles: MACROS,
    tpl: "{% set cs = cols('p_') %}{{ cs|join(',') }}|{{ cs|length }}",
    expect: 'p_a,p_b|2',
  },
  {
    id: '{% test %} block',
    group: '6',
    tpl: "{% test not_negative(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}{{ test_not_negative(ref('orders'), 'amount') }}",
    expect: 'select * from "warehouse"."main"."orders" where amount < 0',
  },
  {
    id: '{% materialization %} block',
    group: '6',
    tpl: '{% materialization view, default %}create view {{ this }}{% endmaterialization %}{{ materialization_view_default() }}',
    expect: 'create view "warehouse"."main"."my_model"',
  },
  {
    id: '{% snapshot %} block',
    group: '6',
    tpl: "{% snapshot orders_snap %}\n{{ config(strategy='check') }}select 1\n{% endsnapshot %}",
    expect: '\nselect 1\n',
  },
];

const target = { name: 'dev', schema: 'main', database: 'warehouse', type: 'duckdb', threads: 1 };
const relation = (schema: string, identifier: string) =>
  new JinjaRelation({ database: 'warehouse', schema, identifier });

function render(c: Case): { out: string; probe: Probe } {
  const jinja = new DbtJinja({ projectName: 'p', target, vars: c.opts?.vars ?? {}, env: { X: 'from-env' } });
  for (const [file, text] of Object.entries(c.macroFiles ?? {})) jinja.loadMacroFile(file, text, 'p');
  const probe: Probe = { config: {}, logs: [], refs: [] };
  const scope: RenderScope = {
    node: null,
    execute: true,
    isIncremental: c.opts?.incremental ?? false,
    self: relation('main', 'my_model'),
    ref: (call) => {
      probe.refs.push(call.package ? [call.package, call.name] : [call.name]);
      return relation('main', call.name);
    },
    source: (s, t) => relation(s, t),
    config: (values) => Object.assign(probe.config, values),
    configGet: (key) => probe.config[key],
    logs: probe.logs,
    macros: new Set(),
  };
  return { out: jinja.render('models/my_model.sql', c.tpl, scope), probe };
}

// modules.datetime is not offered (the brief: only if trivial); templates using it get a
// clear error instead. The evaluation passed a JS object as a global there.
const notSupported = new Set(['modules.datetime (JS object global)']);
// dbt compiles {% materialization %} to a macro; custom materializations are refused here.
const refused = new Set(['{% materialization %} block']);

describe('Jinja compatibility (62 cases of the evaluation)', () => {
  it('has all 62 cases', () => {
    expect(cases).toHaveLength(62);
  });
  for (const c of cases) {
    if (notSupported.has(c.id)) {
      it(`${c.id}: a clear error`, () => {
        expect(() => render(c)).toThrow(/models\/my_model\.sql:1:\d+: modules\.datetime is not supported/);
      });
      continue;
    }
    if (refused.has(c.id)) {
      it(`${c.id}: refused with a clear error`, () => {
        expect(() => render(c)).toThrow(/models\/my_model\.sql:1:4: custom materializations .* are not supported/);
      });
      continue;
    }
    it(c.id, () => {
      const { out, probe } = render(c);
      expect(out).toBe(c.expect);
      expect(c.check?.(probe) ?? null).toBeNull();
    });
  }
});
