import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, type CommandContext, Database, type OptionSpecs, quoteIdentifier } from '@mart/shared';
import {
  catalogAlias,
  catalogAtSnapshot,
  catalogPath,
  stage as lakehouse,
  openLakeSession,
  resolveSnapshot,
} from '@mart/stage-04-lakehouse';
import { z } from 'zod';
import type { AssetCheckResult, MaterializeResult, TableColumn } from '../assets/define-asset.ts';
import type { AssetKey } from '../given/types.ts';
import { type MultiAsset, multiAsset } from '../run/multi-asset.ts';
import { capturedOutput } from './captured-output.ts';

/** The name of the build step in runs and progress lines. */
export const lakeBuildStepName = 'lake_build';

/**
 * The silver and gold assets' step: `pnpm stage 4 build`, run in this process. It reads
 * bronze, builds silver, checks it with stage 3's checks (the quality gate: a failing
 * check commits nothing and fails the step), then commits silver AND gold as ONE lake
 * snapshot. One execution makes every silver and gold table, so it is one multi-asset
 * step: when any of them is selected it runs once, and each selected asset is recorded
 * with its rows and the snapshot id. Stage 3's check results become the assets' check
 * results (`stage3_<check>`).
 *
 * The command's own output goes to the step's log (`runs show <id> --logs`).
 *
 * @example
 * const build = lakeBuildStep(context);
 * defineAsset({ key: 'lake/gold/revenue_by_month', materialize: build.materializeFor('lake/gold/revenue_by_month') });
 */
export function lakeBuildStep(context: Pick<CommandContext, 'mine' | 'paths' | 'env'>): MultiAsset {
  return multiAsset({
    name: lakeBuildStepName,
    description: "stage 4's build: bronze → silver (checked by stage 3) → gold, one lake snapshot",
    async materialize({ assetKeys, signal, log }) {
      signal.throwIfAborted();
      const command = await lakehouse.commands.build?.();
      if (!command) throw new Error('Stage 4 has no build command.');
      const reportsBefore = new Set(reportDirs(context.paths.data));
      const out = capturedOutput();
      const code = await command.run({
        options: defaultOptions(command) as CommandContext['options'],
        positionals: [],
        mine: context.mine,
        io: out.io,
        paths: context.paths,
        color: false,
        env: context.env,
      });
      const lines = out.lines();
      for (const line of lines) log.info(line);
      const quality = newReport(context.paths.data, reportsBefore);
      if ((code ?? 0) !== 0) {
        const why = lines.filter((line) => /blocked|fail|error/i.test(line)).slice(0, 6);
        const checks = quality?.checks.filter((check) => check.outcome === 'fail' || check.outcome === 'error') ?? [];
        const failing = checks.slice(0, 3).map((check) => `${check.table}.${check.name}: ${check.message}`);
        throw new Error(
          `pnpm stage 4 build ended with exit code ${code}: ${[...why, ...failing].join(' ') || 'see the step log'}`,
        );
      }
      const unchanged = lines.some((line) => line.startsWith('Nothing changed since snapshot'));
      const { id: snapshotId, columns } = await latestSnapshot(context);
      const rows = await servingRows(context.paths.warehouse(4), assetKeys);
      const results: Record<AssetKey, MaterializeResult> = {};
      for (const key of assetKeys) {
        const [, layer, table] = key.split('/');
        const checks: Record<string, AssetCheckResult> = {};
        for (const check of quality?.checks ?? []) {
          if (layer !== 'silver' || check.table !== table) continue;
          checks[`stage3_${check.name}`] = {
            passed: check.outcome === 'pass',
            severity: check.outcome === 'warn' ? 'warn' : 'error',
            description: check.message,
            metadata: { type: check.type, metric: check.metric, value: check.value, threshold: check.threshold },
          };
        }
        const own = columns.get(`${layer}.${table}`);
        results[key] = {
          ...(rows.has(key) ? { rows: rows.get(key) as number } : {}),
          metadata: {
            snapshot_id: snapshotId,
            table: `${layer}.${table}`,
            unchanged,
            ...(own ? { column_schema: { columns: own } } : {}),
          },
          checks,
        };
      }
      return results;
    },
  });
}

/** Every option of a command at its default, as if it were typed with none. */
function defaultOptions(command: Command): Record<string, string | boolean | string[] | undefined> {
  const specs: OptionSpecs = command.options;
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.type === 'boolean' ? false : spec.multiple ? [] : spec.default,
    ]),
  );
}

/**
 * The lake's latest snapshot id, and the columns of its tables at that snapshot by
 * `<schema>.<table>` (DuckLake's own column types, as DuckDB reads them), read from the
 * catalog (read-only).
 */
async function latestSnapshot(
  context: Pick<CommandContext, 'paths'>,
): Promise<{ id: number; columns: Map<string, TableColumn[]> }> {
  const session = await openLakeSession(catalogPath(context.paths), { readOnly: true });
  try {
    const id = (await resolveSnapshot(session.db, catalogAlias, 'latest')).id;
    const columns = new Map<string, TableColumn[]>();
    try {
      for (const table of (await catalogAtSnapshot(session.db, catalogAlias, id)).tables) {
        columns.set(
          `${table.schemaName}.${table.name}`,
          table.columns.map((column) => ({ name: column.name, type: column.duckDbType })),
        );
      }
    } catch {
      // Only a description (column_schema): a catalog it cannot read costs that, not the build.
    }
    return { id, columns };
  } finally {
    session.close();
  }
}

/** Rows of each selected table in stage 4's serving copy (the build writes it after committing). */
async function servingRows(file: string, keys: readonly AssetKey[]): Promise<Map<AssetKey, number>> {
  const rows = new Map<AssetKey, number>();
  if (!existsSync(file)) return rows;
  const db = await Database.open(file, { readOnly: true });
  try {
    const tables = new Set(
      (await db.all<{ name: string }>(`select table_name as name from information_schema.tables`)).map((r) => r.name),
    );
    for (const key of keys) {
      const [, layer, table = ''] = key.split('/');
      const name = layer === 'gold' ? `gold_${table}` : table;
      if (!tables.has(name)) continue;
      rows.set(key, Number(await db.value(`select count(*) from ${quoteIdentifier(name)}`)));
    }
  } finally {
    db.close();
  }
  return rows;
}

const reportSchema = z.looseObject({
  checks: z.array(
    z.looseObject({
      name: z.string(),
      table: z.string(),
      type: z.string(),
      metric: z.string(),
      value: z.number().nullable(),
      threshold: z.string(),
      outcome: z.enum(['pass', 'warn', 'fail', 'error']),
      message: z.string(),
    }),
  ),
});

function reportDirs(data: string): string[] {
  const dir = join(data, 'quality');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** The stage 3 report (data/quality/<run>/report.json) the build just wrote, if it wrote one. */
function newReport(data: string, before: ReadonlySet<string>): z.infer<typeof reportSchema> | undefined {
  const fresh = reportDirs(data)
    .filter((name) => !before.has(name))
    .sort();
  const newest = fresh.at(-1);
  if (!newest) return undefined;
  try {
    const parsed = reportSchema.safeParse(
      JSON.parse(readFileSync(join(data, 'quality', newest, 'report.json'), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
