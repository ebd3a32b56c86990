// Shapes the stage 6 exercise pieces share with the orchestrator.

/**
 * An asset's key: its path joined with `/`, e.g. `raw/sales`, `lake/silver/fact_sales` or
 * `dbt/fct_sales`. Each part is letters, digits and `_`, so a key can be written unquoted
 * in a selection (`key:lake/silver/fact_sales`).
 */
export type AssetKey = string;

/** One asset of the graph, as selection and scheduling see it. */
export type AssetNode = {
  key: AssetKey;
  /** The assets it is built from (upstream), each a key of the same graph. */
  deps: readonly AssetKey[];
  /** Its group, e.g. `raw`, `bronze`, `staging`, `marts`. */
  group: string;
  /** What it is made with, e.g. `duckdb`, `ducklake`, `dbt`, `csv`. */
  kinds: readonly string[];
  /** Free-form labels; a tag without a value has the value ''. */
  tags: Readonly<Record<string, string>>;
  /** Who answers for it, e.g. `team:analytics` or an e-mail. */
  owners: readonly string[];
};

/**
 * A parsed asset selection (Dagster's syntax), the input of the select-assets piece.
 * `key:sales*` is `{ kind: 'attribute', attribute: 'key', value: 'sales*' }`; `+x` is a
 * traversal with `up: 'all', down: 0`; `2+x+1` one with `up: 2, down: 1`; parentheses
 * leave no node of their own. Quotes are gone from values: `owner:"a@b.com"` has the
 * value `a@b.com`.
 */
export type Selection =
  | { kind: 'all' }
  | { kind: 'attribute'; attribute: 'key' | 'group' | 'kind' | 'owner'; value: string }
  /** `tag:k` (value undefined: only tags whose value is '') or `tag:k=v`. */
  | { kind: 'tag'; key: string; value: string | undefined }
  | { kind: 'and'; left: Selection; right: Selection }
  | { kind: 'or'; left: Selection; right: Selection }
  | { kind: 'not'; operand: Selection }
  /**
   * The operand's assets, plus their ancestors up to `up` levels and their descendants up
   * to `down` levels ('all' = unbounded, 0 = none): `2+x+1` is (x and 2 levels up) or
   * (x and 1 level down), never ancestors of descendants.
   */
  | { kind: 'traverse'; operand: Selection; up: number | 'all'; down: number | 'all' }
  /** `roots(x)` / `sinks(x)`: the members of x with no ancestor / no descendant in x. */
  | { kind: 'function'; name: 'roots' | 'sinks'; operand: Selection };

/** Where one partition stands, as the run storage knows it. A partition with no entry is missing. */
export type PartitionStatus = 'materialized' | 'failed' | 'running';

/** What {@link import('./pieces.ts').OrchestrationPieces.backfillPartitions} is given. */
export type BackfillOptions = {
  /** The first partition the backfill covers, `YYYY-MM-DD`. */
  from: string;
  /** The last partition it covers (inclusive), `YYYY-MM-DD`. */
  to: string;
  /** The asset's first partition (the partitions definition's start date), `YYYY-MM-DD`. */
  start: string;
  /** The asset's newest partition that exists now (the last complete day), `YYYY-MM-DD`. */
  lastPartition: string;
  /** The partitions the run storage knows about, by key; any other key is missing. */
  status: Readonly<Record<string, PartitionStatus>>;
  /** `--force`: run the materialized partitions of the range again too. */
  force: boolean;
};
