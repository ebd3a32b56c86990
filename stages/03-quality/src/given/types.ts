// Shapes the stage 3 exercise pieces share with the quality runner. exercises/ and
// solutions/ share them; the checks file (YAML) is parsed into these.
/** A value bound to a `$n` placeholder. */
export type SqlValue = string | number | boolean | null;

/** Every kind of check a checks file can declare. */
export const checkTypes = [
  'row_count',
  'not_null',
  'unique',
  'accepted_values',
  'range',
  'relationships',
  'freshness',
  'schema',
  'sql',
] as const;

export type CheckType = (typeof checkTypes)[number];

/**
 * A condition the check's metric must meet. Every bound is inclusive: `max: 0` passes
 * at 0 and is broken at 1. `max_percent` compares the metric as a share of the table's
 * rows; `max_age` (freshness) is a duration such as `36h`, `7d` or `2w`.
 */
export type Threshold = {
  min?: number;
  max?: number;
  max_percent?: number;
  max_age?: string;
};

/** What every check has, whatever its type. */
export type CheckBase = {
  /** Unique within its table, e.g. `not_null(email)` (the default) or a name you choose. */
  name: string;
  /** The table (or view) the check runs on. */
  table: string;
  /** Breaking this makes the check fail, which blocks publishing. */
  fail?: Threshold;
  /** Breaking this (but not `fail`) makes the check warn: reported, not blocking. */
  warn?: Threshold;
};

export type RowCountCheck = CheckBase & { type: 'row_count' };
export type NotNullCheck = CheckBase & { type: 'not_null'; column: string };
export type UniqueCheck = CheckBase & { type: 'unique'; columns: string[] };
export type AcceptedValuesCheck = CheckBase & {
  type: 'accepted_values';
  column: string;
  values: (string | number)[];
};
export type RangeCheck = CheckBase & { type: 'range'; column: string; min?: number; max?: number };
export type RelationshipsCheck = CheckBase & {
  type: 'relationships';
  column: string;
  /** The table and column every non-NULL value must exist in. */
  to: { table: string; column: string };
};
export type FreshnessCheck = CheckBase & {
  type: 'freshness';
  /** A DATE or TIMESTAMP column… */
  column?: string;
  /** …or a SQL expression giving one (like dbt's `loaded_at_field`). */
  expression?: string;
};
export type SchemaCheck = CheckBase & {
  type: 'schema';
  /** Columns that must exist; a type (e.g. `integer`, `varchar`) also pins the type. */
  columns: Record<string, string | null>;
  /** Columns that must not exist (e.g. personal data that should not reach a mart). */
  forbidden: string[];
};
export type SqlCheck = CheckBase & {
  type: 'sql';
  /** A query returning the failing rows: zero rows = pass. */
  sql: string;
};

export type Check =
  | RowCountCheck
  | NotNullCheck
  | UniqueCheck
  | AcceptedValuesCheck
  | RangeCheck
  | RelationshipsCheck
  | FreshnessCheck
  | SchemaCheck
  | SqlCheck;

export type Outcome = 'pass' | 'warn' | 'fail' | 'error';

/** A query selecting the rows that break a check, for the report's samples. */
export type FailingRows = { sql: string; params?: SqlValue[] };

/** What one check found. The report (report.json, report.csv, the terminal table) is a list of these. */
export type CheckResult = {
  /** `<table>.<name>`, unique in a run. */
  id: string;
  name: string;
  table: string;
  type: CheckType;
  /** What was measured, e.g. `missing_count`, `duplicate_count`, `age_hours`. */
  metric: string;
  /** The measured value; null when the check could not run (outcome `error`). */
  value: number | null;
  /** `value` as a percentage of the table's rows, when that means something. */
  percent: number | null;
  /** The thresholds in words, e.g. `fail if > 0; warn if > 5%`. */
  threshold: string;
  outcome: Outcome;
  /** One sentence for people: what was found, or why the check could not run. */
  message: string;
  /** How to find the offending rows (not in report.json: the samples are). */
  failingRows?: FailingRows;
};

/** What a check function gets besides its check. */
export type CheckContext = {
  /**
   * An aggregate SQL expression over the check's table, e.g. `count(*)` or
   * `count(*) filter (where "email" is null)`, with `$1, $2…` for parameters.
   * It does not run at once: the runner gathers every measurement the checks of a
   * table ask for and computes them in ONE query, one scan of the table. So ask for
   * several at once with Promise.all.
   */
  measure(expression: string, params?: SqlValue[]): Promise<number | null>;
  /** Runs a whole query now (for what is not an aggregate over the table). */
  query<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** The reference time "now" for freshness: the real clock unless pinned. */
  now: Date;
};

/** The measurement a check hands to {@link import('./check-result.ts').checkResult}. */
export type Measurement = {
  metric: string;
  value: number;
  /** The table's row count, when `value` is a count of rows (enables `max_percent`). */
  rows?: number;
  message: string;
  failingRows?: FailingRows;
};
