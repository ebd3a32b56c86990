import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import { addDays, firstDay, prepareStageProject, runStageProject, writeLakeDb } from './stage5-fixtures.ts';

const days = 365;
const clock = new Date(`${addDays(firstDay, days)}T00:00:00Z`);

/**
 * The price of the runner: `build` of the whole project (temporary relations swapped in
 * transactions, run state, unique-key checks, microbatches, tests with samples) against
 * raw DuckDB executing the same compiled SQL directly: each model's SELECT as one
 * `create table … as`, each test's SELECT counted, in the same order. Target ≤ 1.3×.
 */
export const stage5Overhead: Scenario = {
  name: 'stage5-overhead',
  description: 'stage 5 full build of the project vs raw DuckDB running its compiled SQL (create table as / count)',
  async prepare({ rows, inputDir }) {
    const { quoteIdentifier, quoteLiteral } = await import('@mart/shared');
    const { scdIdSql, timestampLiteral } = await import('@mart/stage-05-incremental/given');
    await writeLakeDb({ dir: inputDir, days, rows });
    // Both sides build a file of the same name, so relations compile the same.
    const { manifest, compiler, selected, pieces } = await prepareStageProject({
      warehouse: join(inputDir, 'warehouse.duckdb'),
      targetPath: join(inputDir, 'target'),
    });
    const order = pieces.dagOrder(
      selected.map((id) => ({ id, dependsOn: manifest.nodes.get(id)?.dependsOn.nodes ?? [] })),
    );
    const statements: string[] = [];
    const schemas = new Set<string>();
    const relation = (r: { database: string; schema: string; identifier: string }) =>
      [r.database, r.schema, r.identifier].map(quoteIdentifier).join('.');
    for (const id of order) {
      const node = manifest.nodes.get(id);
      if (!node || node.config.materialized === 'ephemeral') continue;
      if (node.resourceType !== 'test' && !schemas.has(node.relation.schema)) {
        schemas.add(node.relation.schema);
        statements.push(
          `create schema if not exists ${quoteIdentifier(node.relation.database)}.${quoteIdentifier(node.relation.schema)}`,
        );
      }
      if (node.resourceType === 'seed') {
        statements.push(
          `create table ${relation(node.relation)} as select * from read_csv(${quoteLiteral(node.absolutePath)}, header = true)`,
        );
        continue;
      }
      const { sql } = compiler.compile(node, { isIncremental: false });
      if (node.resourceType === 'test') statements.push(`select count(*) from (\n${sql}\n)`);
      else if (node.resourceType === 'snapshot') {
        // A first snapshot: every row a current version, with dbt's four columns.
        const keys = [node.config.unique_key ?? []].flat();
        const now = timestampLiteral(clock);
        statements.push(
          `create table ${relation(node.relation)} as select *, ${scdIdSql(keys, now)} as dbt_scd_id, ${now} as dbt_updated_at, ${now} as dbt_valid_from, null::timestamp as dbt_valid_to from (\n${sql}\n)`,
        );
      } else if (node.config.materialized === 'view')
        statements.push(`create view ${relation(node.relation)} as (\n${sql}\n)`);
      else statements.push(`create table ${relation(node.relation)} as (\n${sql}\n)`);
    }
    writeFileSync(join(inputDir, 'statements.json'), JSON.stringify(statements));
  },
  async ours({ inputDir, runDir }) {
    const warehouse = join(runDir, 'warehouse.duckdb');
    const prepared = await prepareStageProject({ warehouse, targetPath: join(runDir, 'target') });
    return async () => {
      await runStageProject(
        {
          warehouse,
          lake: join(inputDir, `lake-${days}.duckdb`),
          targetPath: join(runDir, 'target'),
          fullRefresh: true,
          now: clock,
        },
        prepared,
      );
    };
  },
  async baseline({ inputDir, runDir }) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const statements = JSON.parse(readFileSync(join(inputDir, 'statements.json'), 'utf8')) as string[];
    const lake = join(inputDir, `lake-${days}.duckdb`).replaceAll("'", "''");
    return async () => {
      const instance = await DuckDBInstance.create(join(runDir, 'warehouse.duckdb'));
      const connection = await instance.connect();
      try {
        await connection.run(`attach '${lake}' as lake (read_only)`);
        for (const sql of statements) await connection.run(sql);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
};
