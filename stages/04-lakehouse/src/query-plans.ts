import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LakeView } from './create-lake-views.ts';
import type { SnapshotInfo } from './ducklake/read/resolve-snapshot.ts';
import type { TableFileCounts } from './ducklake/read/table-query.ts';

/**
 * Bump when the plan's shape or the SQL the reader writes changes: older plans are then
 * never used. (Plans are made with the reference pieces; after editing
 * solutions/04-lakehouse/visible-files.ts, delete data/lake/cache/.plans/; the next
 * commit to the lake replaces them anyway.)
 */
const planFormat = 1;

/**
 * What `pnpm stage 4 query` worked out before running one SQL text at one snapshot: the
 * schemas and views to create, which read only local files of the download cache. A
 * later run of the same SQL on the same catalog creates them and runs the query,
 * without opening the catalog: no ATTACH, no catalog reads, no SQL analysis.
 */
export interface QueryPlan {
  format: typeof planFormat;
  snapshot: SnapshotInfo;
  schemas: string[];
  views: Pick<LakeView, 'schema' | 'table' | 'sql' | 'localPaths'>[];
  /** Every table at the snapshot, for the message when the query fails. */
  tables: string[];
  files: TableFileCounts;
}

/** Where {@link queryPlans} keeps plans, and what a plan depends on besides the SQL and the snapshot asked for. */
export interface QueryPlansOptions {
  /** A folder of its own, e.g. `data/lake/cache/.plans` (a bucket name cannot start with a dot). */
  dir: string;
  catalogPath: string;
  /** The bucket the views' files came from (`s3://mart-lake/`): another bucket is another lake. */
  urlPrefix: string;
}

/** A lookup: the key to save a plan under, and the plan when one was saved for this very catalog. */
export interface PlanLookup {
  key: string;
  plan: QueryPlan | undefined;
}

/** Saved query plans: see {@link queryPlans}. */
export interface QueryPlans {
  lookup(sql: string, at: string): PlanLookup;
  /** Saves `plan` under `lookup.key`, unless the catalog changed since the lookup (then the plan may be of another state). */
  save(lookup: PlanLookup, plan: Omit<QueryPlan, 'format'>): void;
}

/**
 * Query plans kept across commands, the way dbt keeps its parsed project between runs
 * (partial parsing): a plan is used only for the same SQL, the same snapshot selector
 * ('latest' or an id), the same bucket and the same catalog file as `stat` sees it
 * (device, inode, size, modification and change times in nanoseconds), and its `.wal`
 * likewise. Every commit writes the WAL or the file itself, so a plan never answers for
 * another catalog state than the one it was made from. (A commit can only go unseen if
 * it left both files the same size within one tick of the file system's clock, a few
 * milliseconds, and a reader planned in between: DuckDB's lock keeps readers out while
 * a writer has the file open.) A plan is also dropped when a
 * local file it reads is gone (the download cache replaced a partial file, or was
 * cleared), and an unreadable plan is simply made again.
 *
 * Only plans that read nothing but local files are saved (the caller checks: no view
 * reads inlined rows or deletes from the catalog). Plans for older catalog states are
 * deleted when a new one is saved, so the folder holds the plans of one state.
 *
 * @example
 * const plans = queryPlans({ dir: 'data/lake/cache/.plans', catalogPath, urlPrefix: 's3://mart-lake/' });
 * const found = plans.lookup(sql, 'latest');
 * if (!found.plan) plans.save(found, await makePlan());
 */
export function queryPlans(options: QueryPlansOptions): QueryPlans {
  const { dir } = options;
  const stateOf = () => hash(`${planFormat}\n${options.urlPrefix}\n${fileState(options.catalogPath)}`);
  const fileName = (state: string, sql: string, at: string) => `${state}-${hash(`${at}\n${sql}`)}.json`;
  return {
    lookup(sql, at) {
      const state = stateOf();
      const key = fileName(state, sql, at);
      return { key, plan: readPlan(join(dir, key)) };
    },
    save(lookup, plan) {
      const state = stateOf();
      // The catalog changed while the plan was made: it may describe either state.
      if (!lookup.key.startsWith(`${state}-`)) return;
      mkdirSync(dir, { recursive: true });
      for (const name of readdirSync(dir)) {
        if (!name.startsWith(`${state}-`)) rmSync(join(dir, name), { force: true });
      }
      const temporary = join(dir, `${lookup.key}.tmp-${process.pid}`);
      writeFileSync(temporary, JSON.stringify({ format: planFormat, ...plan } satisfies QueryPlan));
      renameSync(temporary, join(dir, lookup.key));
    },
  };
}

/** The plan in `path` when it is readable, of this format, and every file it reads is still there. */
function readPlan(path: string): QueryPlan | undefined {
  let plan: QueryPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as QueryPlan;
  } catch {
    return undefined; // none yet, or half a file from a crash: make it again
  }
  if (plan.format !== planFormat || !Array.isArray(plan.views)) return undefined;
  if (plan.views.some((view) => view.localPaths.some((local) => !existsSync(local)))) {
    rmSync(path, { force: true });
    return undefined;
  }
  return plan;
}

/** The catalog file and its WAL as stat sees them; any write changes one of them. */
function fileState(catalogPath: string): string {
  return [catalogPath, `${catalogPath}.wal`]
    .map((path) => {
      const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
      return stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : 'none';
    })
    .join('|');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
