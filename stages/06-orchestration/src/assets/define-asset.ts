import type { AssetKey, AssetNode } from '../given/types.ts';
import type { BackfillPolicy } from '../partitions/backfill-policy.ts';
import type {
  DailyPartitionsDefinition,
  PartitionKeyRange,
  PartitionTimeWindow,
} from '../partitions/daily-partitions.ts';
import { AssetDefinitionError } from './asset-definition-error.ts';

/** A value recorded with a materialization (shown in `runs show`, the UI and lineage). */
export type MetadataValue = string | number | boolean | null | TableSchemaMetadataValue;

/** One column of a table: its name and its type as the database spells it (`VARCHAR`, `DECIMAL(18,2)`). */
export type TableColumn = { name: string; type: string };

/**
 * A table's columns, in order (Dagster's TableSchema, recorded as `column_schema`): what
 * the table looked like right after the materialization wrote it. A type alias, not an
 * interface, so that it is plain JSON to the run storage.
 *
 * @example
 * { columns: [{ name: 'sale_id', type: 'VARCHAR' }, { name: 'amount', type: 'DECIMAL(18,2)' }] }
 */
export type TableSchemaMetadataValue = { columns: TableColumn[] };

/** A table a materialization read, with its columns as it found them. */
export interface ReadTable {
  /** Where it lives, as the SQL names it: `lake.bronze.sales` is database `lake`, schema `bronze`, identifier `sales`. */
  relation: { database: string; schema: string; identifier: string };
  columns: readonly TableColumn[];
}

/**
 * What a materialization can tell its lineage (the OpenLineage events of the step) beyond
 * its rows and metadata. Not recorded in the run storage: the SQL is the model's code,
 * already in the project, and the inputs' columns are recorded by their own assets.
 */
export interface MaterializationLineage {
  /** The SQL it ran: a stage 5 model's compiled SQL (the sql facet; column lineage is derived from it). */
  sql?: string;
  /** The tables it read with their columns (the inputs' schema facets; what `*` in the SQL stands for). */
  inputs?: readonly ReadTable[];
}

/** Where an asset's code writes what it has to say; the executor records each line with the run. */
export interface AssetLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What an asset's `materialize` is given (Dagster's AssetExecutionContext, the parts this course uses). */
export interface MaterializeContext {
  /** The asset being materialized. */
  assetKey: AssetKey;
  /** The run this materialization belongs to. */
  runId: string;
  /** Retries so far: 0 on the first attempt (Dagster's retry_number). */
  attempt: number;
  /**
   * For a partitioned asset: the partitions this run covers, oldest first (one for
   * `--partition KEY`, several for a single-run backfill); empty for an unpartitioned asset.
   */
  partitionKeys: readonly string[];
  /** The partition, when the run covers exactly one (Dagster's partition_key); undefined for a range. */
  partitionKey: string | undefined;
  /** The same as a range, for a partitioned asset. */
  partitionKeyRange: PartitionKeyRange | undefined;
  /** The time the partitions cover, `[start, end)` in UTC, for a partitioned asset. */
  partitionTimeWindow: PartitionTimeWindow | undefined;
  log: AssetLogger;
  /** Aborted when the run is canceled (or Ctrl-C): stop at the next safe point. */
  signal: AbortSignal;
}

/** What a materialization reports. */
export interface MaterializeResult {
  /** Rows written, when it writes a table (shown as "rows" and sent as outputStatistics). */
  rows?: number;
  /** Anything else worth keeping: a snapshot id, a file, bytes… */
  metadata?: Record<string, MetadataValue>;
  /**
   * The outcome of checks the materialization evaluated itself, by check name (Dagster's
   * `check_results`): a dbt build runs a model's tests right after it. Checks with an
   * `evaluate` of their own run after the materialization instead.
   */
  checks?: Readonly<Record<string, AssetCheckResult>>;
  /**
   * For a partitioned asset: the partitions it wrote, each with its rows. Default: the
   * partitions of the run (the whole `rows` for a single one). A stage 5 microbatch model
   * run without a partition says here which days its batches covered.
   */
  partitions?: Readonly<Record<string, { rows?: number }>>;
  /** For the step's lineage events only (see MaterializationLineage): the executor passes it on untouched. */
  lineage?: MaterializationLineage;
}

/** The materialize function of an asset; it may return nothing (`async () => {}`). */
// biome-ignore lint/suspicious/noConfusingVoidType: a function's result: lets `async () => {}` be one
export type MaterializeFn = (context: MaterializeContext) => Promise<MaterializeResult | void>;

/**
 * How often and when to try a failed materialization again (Dagster's RetryPolicy): the
 * wait before retry n is `delay` (no backoff), `n·delay` (linear) or `(2ⁿ−1)·delay`
 * (exponential), then jittered.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  /** Base wait between attempts, in seconds (default 0). */
  delaySeconds?: number;
  backoff?: 'linear' | 'exponential';
  /** `full`: a random wait between 0 and the computed one; `plus_minus`: the computed one ± delay. */
  jitter?: 'full' | 'plus_minus';
}

/** The outcome of one asset check. */
export interface AssetCheckResult {
  passed: boolean;
  /** `error` (default) or `warn`: only a failed blocking check with severity error stops downstream assets. */
  severity?: 'error' | 'warn';
  /** What was found, e.g. `{ failing_rows: 3 }`. */
  metadata?: Record<string, MetadataValue>;
  /** One line for people: "3 rows with a null sale_id". */
  description?: string;
}

/** A check of an asset's data after it is materialized (a stage 3 check, a stage 5 dbt test). */
export interface AssetCheckSpec {
  /** Unique among the asset's checks, e.g. `not_null_fct_sales_sale_id`. */
  name: string;
  /**
   * A blocking check that fails with severity error stops everything downstream of the
   * asset in the run (marked skipped, with the reason); a non-blocking one only warns.
   */
  blocking: boolean;
  description?: string;
  /** Other assets the check reads (a relationships test reads its `to` model too). */
  additionalDeps?: readonly AssetKey[];
  metadata?: Record<string, MetadataValue>;
  /** Runs the check; a check without one is evaluated by the asset's own materialization (dbt build runs its tests). */
  evaluate?: (context: MaterializeContext) => Promise<AssetCheckResult>;
}

/** Options for {@link defineAsset}: everything an asset declares about itself. */
export interface AssetOptions {
  /** `raw/sales`, `lake/silver/fact_sales`, `dbt/fct_sales`: parts of letters, digits and `_`, joined with `/`. */
  key: AssetKey;
  /** The assets it is built from. */
  deps?: readonly AssetKey[];
  /** Its group in the UI and for `group:` (Dagster's default group is `default`). */
  group?: string;
  /** What it is made with, shown as badges and matched by `kind:`: `csv`, `parquet`, `ducklake`, `dbt`… */
  kinds?: readonly string[];
  /** Labels for `tag:`; a label without a value has the value ''. */
  tags?: Readonly<Record<string, string>>;
  /** Who answers for it: `team:analytics`, an e-mail. */
  owners?: readonly string[];
  description?: string;
  /** Daily partitions, for assets built a day at a time. */
  partitions?: DailyPartitionsDefinition;
  /** How a backfill over its partitions becomes runs (none: one run per partition). */
  backfillPolicy?: BackfillPolicy;
  retry?: RetryPolicy;
  checks?: readonly AssetCheckSpec[];
  /** A version of the code that builds it (stage 5's SQL checksum); a change makes the asset stale. */
  codeVersion?: string;
  /** Facts about the definition, e.g. the dbt unique_id or the file it reads. */
  metadata?: Record<string, MetadataValue>;
  /**
   * Builds the asset. An asset without one is external (Dagster's external asset): it is
   * made outside the orchestrator, like the CSV files that arrive in data/seeds/, and the
   * orchestrator only observes it.
   */
  materialize?: MaterializeFn;
}

/** A defined asset: the options, validated, with defaults filled in. Also an {@link AssetNode}. */
export interface AssetDefinition extends AssetNode {
  description: string | undefined;
  partitions: DailyPartitionsDefinition | undefined;
  backfillPolicy: BackfillPolicy | undefined;
  retry: RetryPolicy | undefined;
  checks: readonly AssetCheckSpec[];
  codeVersion: string | undefined;
  metadata: Readonly<Record<string, MetadataValue>>;
  materialize: MaterializeFn | undefined;
}

const keyPart = /^[A-Za-z0-9_]+$/;

/**
 * Defines one software-defined asset: a piece of data (a file, a table) and how it is
 * made from the assets it depends on. Validates the declaration; the graph, the
 * selection and the executor work from the result.
 *
 * @example
 * const revenue = defineAsset({
 *   key: 'lake/gold/revenue_by_month',
 *   deps: ['lake/silver/fact_sales', 'lake/silver/dim_date'],
 *   group: 'gold',
 *   kinds: ['ducklake'],
 *   materialize: async ({ log }) => {
 *     log.info('computing revenue by month');
 *     return { rows: 12 };
 *   },
 * });
 */
export function defineAsset(options: AssetOptions): AssetDefinition {
  const where = `Asset "${options.key}"`;
  checkKey(options.key, where);
  for (const dep of options.deps ?? []) checkKey(dep, `${where}: its dependency "${dep}"`);
  const checks = options.checks ?? [];
  const checkNames = new Set<string>();
  for (const check of checks) {
    if (check.name === '') throw new AssetDefinitionError(`${where}: a check has no name.`);
    if (checkNames.has(check.name)) throw new AssetDefinitionError(`${where}: two checks are called "${check.name}".`);
    checkNames.add(check.name);
  }
  if (options.retry) checkRetry(options.retry, where);
  return {
    key: options.key,
    deps: [...new Set(options.deps ?? [])],
    group: options.group ?? 'default',
    kinds: [...new Set(options.kinds ?? [])],
    tags: { ...options.tags },
    owners: [...(options.owners ?? [])],
    description: options.description,
    partitions: options.partitions,
    backfillPolicy: options.backfillPolicy,
    retry: options.retry,
    checks,
    codeVersion: options.codeVersion,
    metadata: { ...options.metadata },
    materialize: options.materialize,
  };
}

/** Whether the asset is built by the orchestrator (has a materialize function). */
export function isMaterializable(asset: AssetDefinition): boolean {
  return asset.materialize !== undefined;
}

function checkKey(key: string, where: string): void {
  const parts = key.split('/');
  if (key === '' || !parts.every((part) => keyPart.test(part))) {
    throw new AssetDefinitionError(
      `${where}: "${key}" is not an asset key: write parts of letters, digits and _ joined with /, e.g. lake/silver/fact_sales.`,
    );
  }
}

/** Dagster refuses a backoff or a jitter without a delay: they would change nothing. */
function checkRetry(retry: RetryPolicy, where: string): void {
  if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) {
    throw new AssetDefinitionError(`${where}: retry.maxRetries must be a whole number ≥ 0, not ${retry.maxRetries}.`);
  }
  const delay = retry.delaySeconds;
  if (delay !== undefined && !(delay >= 0))
    throw new AssetDefinitionError(`${where}: retry.delaySeconds must be ≥ 0, not ${delay}.`);
  if ((retry.backoff || retry.jitter) && !delay) {
    throw new AssetDefinitionError(
      `${where}: retry.${retry.backoff ? 'backoff' : 'jitter'} needs a retry.delaySeconds to act on.`,
    );
  }
}
