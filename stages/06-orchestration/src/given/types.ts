// Shapes the stage 6 exercise pieces share with the orchestrator.

/** An asset's key: its path joined with `/`, e.g. `lake/silver/fact_sales` or `dbt/marts/fct_sales`. */
export type AssetKey = string;

/** One asset of the graph, as selection and scheduling see it. */
export type AssetNode = {
  key: AssetKey;
  /** The assets it is built from (upstream). */
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
 * traversal with `up: 'all'`; `2+x+1` one with `up: 2, down: 1`.
 */
export type Selection =
  | { kind: 'all' }
  | { kind: 'attribute'; attribute: 'key' | 'group' | 'kind' | 'owner'; value: string }
  /** `tag:k` (value undefined: only tags whose value is '') or `tag:k=v`. */
  | { kind: 'tag'; key: string; value: string | undefined }
  | { kind: 'and'; left: Selection; right: Selection }
  | { kind: 'or'; left: Selection; right: Selection }
  | { kind: 'not'; operand: Selection }
  /** Ancestors up to `up` levels and descendants up to `down` levels ('all' = unbounded, 0 = none). */
  | { kind: 'traverse'; operand: Selection; up: number | 'all'; down: number | 'all' }
  | { kind: 'function'; name: 'roots' | 'sinks'; operand: Selection };
