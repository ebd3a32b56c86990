import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integerLiteral, type Row, toCsv } from '@mart/shared';
import { selectBody } from '../materializations/build-and-swap.ts';
import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { NodeError } from '../run/node-error.ts';
import { relationSql } from '../run/relations.ts';
import type { ExecutedStatement, FailingRowsSample } from '../run/types.ts';
import { parseThreshold, thresholdMet } from './thresholds.ts';

/** Failing rows kept per test, in the result and in `<target>/samples/<alias>.csv`. */
export const sampleSize = 20;

/**
 * Runs a data test (generic or singular): its compiled SQL returns the failing rows;
 * dbt's wrapper (§6.2) counts them with `fail_calc` (default `count(*)`, after `limit`
 * if set), then `error_if` / `warn_if` decide: severity ERROR and error_if met → fail;
 * else warn_if met → warn; else pass. Failing rows are sampled (the first 20) for the
 * command to print and into `<target>/samples/<alias>.csv`.
 */
export async function runDataTest(ctx: NodeContext): Promise<NodeOutcome> {
  const { node, session, project } = ctx;
  const config = node.config;
  const severity = String(config.severity ?? 'ERROR').toUpperCase();
  if (severity !== 'ERROR' && severity !== 'WARN') {
    throw new NodeError('Compilation', `Severity must be either 'warn' or 'error'. Got '${String(config.severity)}'`);
  }
  const warnIf = parseThreshold(config.warn_if, 'warn_if');
  const errorIf = parseThreshold(config.error_if, 'error_if');
  const failCalc =
    typeof config.fail_calc === 'string' && config.fail_calc.trim() !== '' ? config.fail_calc : 'count(*)';
  const limit = config.limit;
  if (limit !== null && limit !== undefined && (!Number.isSafeInteger(limit) || Number(limit) < 0)) {
    throw new NodeError('Compilation', `limit must be a whole number, not ${JSON.stringify(limit)}.`);
  }
  const sql = selectBody(ctx.compile({ isIncremental: false }).sql);
  const failingRows = limit === null || limit === undefined ? sql : `${sql}\nlimit ${integerLiteral(Number(limit))}`;

  // store_failures: the failing rows become a table, and the counts read it.
  let from = `(\n${failingRows}\n) dbt_internal_test`;
  let relationName: string | null = null;
  if (config.store_failures === true) {
    relationName = relationSql(node.relation);
    await session.transaction(async () => {
      await session.execute(`drop table if exists ${relationName}`);
      await session.execute(`create table ${relationName} as (\n${failingRows}\n)`);
    });
    from = `${relationName} dbt_internal_test`;
  }
  // fail_calc is spliced as dbt splices it (it is the project's SQL, like the test itself).
  const [counted] = await session.query<{ failures: number | null }>(
    record(session.executed, `select cast(${failCalc} as double) as failures\n  from ${from}`),
  );
  const failures = counted?.failures ?? null;
  const status =
    severity === 'ERROR' && thresholdMet(failures, errorIf) ? 'fail' : thresholdMet(failures, warnIf) ? 'warn' : 'pass';

  const samplePath = join(project.targetPath, 'samples', `${node.relation.identifier || node.name}.csv`);
  let sample: FailingRowsSample | null = null;
  if (status === 'pass') {
    rmSync(samplePath, { force: true });
  } else {
    const rows = await session.query<Row>(`select * from ${from} limit ${sampleSize}`);
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    mkdirSync(join(project.targetPath, 'samples'), { recursive: true });
    writeFileSync(samplePath, rows.length > 0 ? toCsv(rows, columns) : '');
    sample = { columns, rows, path: samplePath };
  }
  const count = failures ?? 0;
  return {
    status,
    message:
      status === 'pass'
        ? null
        : `Got ${count} ${count === 1 ? 'result' : 'results'}, configured to ${status === 'fail' ? 'fail' : 'warn'} if ${status === 'fail' ? errorIf.text : warnIf.text}`,
    failures: status === 'pass' ? 0 : count,
    rowsAffected: null,
    adapterResponse: {},
    compiled: true,
    compiledCode: sql,
    relationName,
    sample,
  };
}

/** Adds a read-only statement to the node's executed SQL (the test's query is what target/run shows). */
function record(executed: ExecutedStatement[], sql: string): string {
  executed.push({ sql });
  return sql;
}
