import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';

const models = 500;

/**
 * Parsing and compiling a big project: 500 generated models in 10 folders, each ref'ing
 * up to three earlier ones, calling a project macro and looping in Jinja, 200 yml tests.
 * Ours: read dbt_project.yml, parse every file into the manifest and compile every node
 * (what `pnpm stage 5 compile` does before writing files). The baseline is DuckDB
 * parsing the 500 compiled statements (`json_serialize_sql`): the floor for "understanding
 * the SQL". Target: ours under 2 s (the figure is in the results).
 */
export const stage5Compile: Scenario = {
  name: 'stage5-compile',
  description: 'stage 5 parse + compile of a generated 500-model project vs DuckDB parsing the compiled SQL',
  async prepare({ inputDir }) {
    const project = join(inputDir, 'project');
    writeGeneratedProject(project);
    const { MartPaths, MineScope } = await import('@mart/shared');
    const stage5 = await import('@mart/stage-05-incremental');
    const loaded = stage5.loadProject({
      projectDir: project,
      env: {},
      defaultTarget: { path: join(inputDir, 'w.duckdb') },
    });
    const pieces = await stage5.loadIncrementalPieces(MineScope.none(), new MartPaths());
    const { manifest, compiler } = stage5.buildManifest(loaded, { pieces, env: {} });
    const compiled = [...manifest.nodes.values()]
      .filter((node) => node.resourceType === 'model')
      .map((node) => compiler.compile(node, { isIncremental: false }).sql);
    writeFileSync(join(inputDir, 'compiled.json'), JSON.stringify(compiled));
  },
  async ours({ inputDir }) {
    const { MartPaths, MineScope } = await import('@mart/shared');
    const stage5 = await import('@mart/stage-05-incremental');
    const pieces = await stage5.loadIncrementalPieces(MineScope.none(), new MartPaths());
    return async () => {
      const loaded = stage5.loadProject({
        projectDir: join(inputDir, 'project'),
        env: {},
        defaultTarget: { path: join(inputDir, 'w.duckdb') },
      });
      const { manifest, compiler } = stage5.buildManifest(loaded, { pieces, env: {} });
      let length = 0;
      for (const node of manifest.nodes.values()) {
        if (node.resourceType === 'seed') continue;
        length += compiler.compile(node, { isIncremental: false }).sql.length;
      }
      if (length === 0) throw new Error('nothing compiled');
    };
  },
  async baseline({ inputDir }) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const compiled = JSON.parse(readFileSync(join(inputDir, 'compiled.json'), 'utf8')) as string[];
    return async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      try {
        for (const sql of compiled) await connection.runAndReadAll('select json_serialize_sql($1::varchar)', [sql]);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
};

/** A dbt project of `models` models in 10 folders, with refs, a macro, loops and yml tests. */
function writeGeneratedProject(dir: string): void {
  mkdirSync(join(dir, 'macros'), { recursive: true });
  mkdirSync(join(dir, 'seeds'), { recursive: true });
  writeFileSync(
    join(dir, 'dbt_project.yml'),
    'name: big\nversion: "1.0.0"\nconfig-version: 2\nmodels:\n  big:\n    +materialized: view\n    layer_0:\n      +materialized: table\n',
  );
  writeFileSync(join(dir, 'seeds', 'numbers.csv'), 'n,label\n1,one\n2,two\n3,three\n');
  writeFileSync(
    join(dir, 'macros', 'scaled.sql'),
    '{% macro scaled(column, factor=2) -%}\n  ({{ column }} * {{ factor }})\n{%- endmacro %}\n',
  );
  const yml: string[] = ['version: 2', 'models:'];
  for (let i = 0; i < models; i++) {
    const layer = Math.floor(i / (models / 10));
    const folder = join(dir, 'models', `layer_${layer}`);
    mkdirSync(folder, { recursive: true });
    const parents = i < models / 10 ? [] : [i - models / 10, i - 1 - (i % 7), i - 3 - (i % 11)].filter((p) => p >= 0);
    const from =
      parents.length === 0
        ? "{{ ref('numbers') }}"
        : [...new Set(parents)]
            .map((p, k) => `${k === 0 ? '' : 'union all select * from '}{{ ref('model_${p}') }}`)
            .join('\n');
    writeFileSync(
      join(folder, `model_${i}.sql`),
      `{% set columns = ['n', 'label'] %}\nselect\n{% for column in columns %}  {{ column }}{% if not loop.last %},{% endif %}\n{% endfor %}, {{ scaled('n', factor=${(i % 5) + 1}) }} as scaled_${i}\nfrom (select n, label from ${from}) as parents\n`,
    );
    if (i % 5 === 0)
      yml.push(`  - name: model_${i}`, '    columns:', '      - name: n', '        data_tests: [not_null, unique]');
  }
  writeFileSync(join(dir, 'models', 'schema.yml'), `${yml.join('\n')}\n`);
}
