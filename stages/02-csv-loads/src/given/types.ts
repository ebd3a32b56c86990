// Shapes the stage 2 exercise pieces share with the loader. exercises/ and solutions/ share them.

/** How a CSV column's text becomes a typed value. */
export type ColumnType = 'text' | 'integer' | 'decimal' | 'date';

/** One column of an input file and the rules its values must follow. */
export type ColumnSpec = {
  /** The column's name, lower case, as in the header after trimming. */
  name: string;
  type: ColumnType;
  /** An empty value is a problem (otherwise it loads as NULL). */
  required: boolean;
  /** A domain rule for numbers: 'positive' (> 0) or 'not-negative' (>= 0). */
  rule?: 'positive' | 'not-negative';
};

/**
 * Two SQL expressions over one staged (all-text) column:
 * `value` is the typed value (NULL when it cannot be typed),
 * `problem` is NULL when the value is fine, otherwise the reason it is rejected.
 */
export type CastSql = {
  value: string;
  problem: string;
};

/** A row the loader must reject: where it came from in the file, and why. */
export type RowReject = {
  /** Line number in the CSV file (the header is line 1). */
  line: number;
  reason: string;
};

/** A column that must point at an existing dimension row, e.g. sales.customer_id → dim_customer. */
export type Reference = {
  /** The typed table being checked, e.g. 'typed_sales'. */
  table: string;
  /** Its column holding the natural key, e.g. 'customer_id'. */
  column: string;
  /** The dimension table, e.g. 'dim_customer'. */
  dimension: string;
  /** The dimension's natural-key column, e.g. 'customer_id'. */
  dimensionColumn: string;
};

/** One input file's books: every record read was either loaded or rejected. */
export type FileReconciliation = {
  file: string;
  read: number;
  loaded: number;
  rejected: number;
  /** read === loaded + rejected */
  balanced: boolean;
};
