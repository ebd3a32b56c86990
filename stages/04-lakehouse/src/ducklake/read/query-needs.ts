import { type Database, quoteLiteral } from '@mart/shared';

/** A comparison the reader can check against a file's min/max: `column op constant(s)`. */
export interface ColumnFilter {
  /** The column's name as the query wrote it (compared case-insensitively with the table's). */
  column: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'between' | 'in';
  /**
   * The constants as SQL literals rendered from the parsed values (quoted strings,
   * checked numbers, `CAST('…' AS DATE)`…): one for a comparison, two for between, the
   * list for in.
   */
  values: string[];
  /** What kind of constant: a string literal takes the column's type, the others must be of its family. */
  kind: ConstantKind;
}

/** The family of a constant, for the check that comparing it with a column keeps the column's order. */
export type ConstantKind = 'string' | 'numeric' | 'temporal' | 'text' | 'boolean';

/** What a query reads of one lake table. */
export interface TableNeeds {
  /** Column names (lower case) the query may read; 'all' when that cannot be told. */
  columns: ReadonlySet<string> | 'all';
  /** Conditions every row the query reads from the table meets; empty when none is known. */
  filters: readonly ColumnFilter[];
}

/** What a query reads of each lake table; see {@link analyzeQuery}. */
export interface QueryNeeds {
  /** False when the query could not be analysed: every table is read whole, nothing pruned. */
  readonly understood: boolean;
  /** Whether the query can touch `schema.table` at all. */
  mentions(schema: string, table: string): boolean;
  /** Columns and filters for `schema.table`. */
  of(schema: string, table: string): TableNeeds;
}

/** Reads everything: the answer for SQL that is not one plain SELECT. */
export const readEverything: QueryNeeds = {
  understood: false,
  mentions: () => true,
  of: () => ({ columns: 'all', filters: [] }),
};

/** A node of json_serialize_sql's tree. */
type Json = Record<string, unknown>;

/** Table references DuckDB may resolve to a table without a BASE_TABLE node naming it, or whose columns it cannot follow by name. */
const opaqueTableRefs = new Set(['TABLE_FUNCTION', 'SHOW_REF', 'PIVOT', 'COLUMN_DATA', 'DELIM_GET']);

/**
 * What a query reads of each lake table, from DuckDB's own parse tree
 * (`json_serialize_sql`), never from the SQL's text:
 *
 * - columns: every name any column reference anywhere in the statement uses. A star
 *   (`*`, `t.*`, COLUMNS(…)), a positional reference, a reference to a whole row by its
 *   table's name or alias, a NATURAL join or column aliases on the table mean every column.
 * - filters: when the table is referenced exactly once, the conjuncts of the WHERE of
 *   the SELECT that reads it (alone, or in inner or cross joins) that compare one of its
 *   columns with constants: `=`, `<`, `<=`, `>`, `>=`, `between`, `in`. Every row the
 *   query reads from the table satisfies them, so files whose min/max rule them out can
 *   be skipped without changing the result.
 *
 * Anything else — more than one statement, not a SELECT, a table function such as
 * query_table(), SUMMARIZE, PIVOT — makes it read everything: the fallback is always a
 * full read, never a guess.
 *
 * @example
 * const needs = await analyzeQuery(db, "select sum(amount) from silver.fact_sales where sale_date = '2024-03-01'");
 * needs.of('silver', 'fact_sales') // → { columns: Set { 'amount', 'sale_date' }, filters: [{ column: 'sale_date', op: '=', … }] }
 */
export async function analyzeQuery(db: Database, sql: string): Promise<QueryNeeds> {
  let tree: Json;
  try {
    tree = JSON.parse(await db.value<string>('select json_serialize_sql($1::varchar)', [sql])) as Json;
  } catch {
    return readEverything;
  }
  const statements = tree.statements;
  if (tree.error !== false || !Array.isArray(statements) || statements.length !== 1) return readEverything;

  const refs: { ref: Json; node: Json | undefined }[] = [];
  const columnNames = new Set<string>();
  // Single names and last parts: where a whole row can be named (`select t from t`).
  const rowNames = new Set<string>();
  let everyColumn = false;
  let opaque = false;
  const cteNames = new Set<string>();
  walk(statements[0], undefined, (value, node) => {
    if (typeof value.class === 'string') {
      if (value.class === 'STAR' || value.class === 'POSITIONAL_REFERENCE') everyColumn = true;
      if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
        const parts = value.column_names.filter((name): name is string => typeof name === 'string');
        for (const name of parts) columnNames.add(name.toLowerCase());
        const last = parts.at(-1);
        if (last !== undefined) rowNames.add(last.toLowerCase());
      }
      return;
    }
    if (value.type === 'BASE_TABLE') refs.push({ ref: value, node });
    else if (typeof value.type === 'string' && opaqueTableRefs.has(value.type)) opaque = true;
    if (value.type === 'JOIN') {
      if (value.ref_type === 'NATURAL') everyColumn = true;
      if (Array.isArray(value.using_columns)) {
        for (const name of value.using_columns) if (typeof name === 'string') columnNames.add(name.toLowerCase());
      }
    }
    if (Array.isArray((value.cte_map as Json | undefined)?.map)) {
      for (const entry of (value.cte_map as { map: { key?: unknown }[] }).map) {
        if (typeof entry.key === 'string') cteNames.add(entry.key.toLowerCase());
      }
    }
  });
  if (opaque) return readEverything;

  const refsTo = (schema: string, table: string) =>
    refs.filter(
      ({ ref }) => sameName(ref.table_name, table) && (isEmpty(ref.schema_name) || sameName(ref.schema_name, schema)),
    );
  const exactly = (ref: Json, schema: string, table: string) =>
    sameName(ref.table_name, table) &&
    (isEmpty(ref.catalog_name) || sameName(ref.catalog_name, 'memory')) &&
    (sameName(ref.schema_name, schema) || (isEmpty(ref.schema_name) && schema.toLowerCase() === 'main'));

  return {
    understood: true,
    mentions: (schema, table) => refsTo(schema, table).length > 0,
    of(schema, table) {
      const mine = refsTo(schema, table);
      const names = new Set([table.toLowerCase(), ...mine.map(({ ref }) => String(ref.alias ?? '').toLowerCase())]);
      const wholeRow = [...names].some((name) => name !== '' && rowNames.has(name));
      const renamed = mine.some(({ ref }) => Array.isArray(ref.column_name_alias) && ref.column_name_alias.length > 0);
      const columns = everyColumn || wholeRow || renamed ? 'all' : columnNames;
      const only = mine.length === 1 ? mine[0] : undefined;
      const filters =
        only && !renamed && !cteNames.has(table.toLowerCase()) && exactly(only.ref, schema, table) && only.node
          ? filtersOn(only.ref, only.node, table)
          : [];
      return { columns, filters };
    },
  };
}

/**
 * Visits every object of the tree, telling each the innermost SELECT node around it.
 * A table reference is inside its SELECT's from_table; an expression anywhere in it.
 */
function walk(value: unknown, node: Json | undefined, visit: (value: Json, node: Json | undefined) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, node, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Json;
  visit(object, node);
  const inner = object.type === 'SELECT_NODE' ? object : node;
  for (const child of Object.values(object)) walk(child, inner, visit);
}

/** The WHERE conjuncts of `node` that constrain columns of `ref`, when `ref` is read there as a plain or inner/cross-joined table. */
function filtersOn(ref: Json, node: Json, table: string): ColumnFilter[] {
  if (node.sample !== null && node.sample !== undefined) return [];
  if (ref.sample !== null && ref.sample !== undefined) return [];
  if (ref.at_clause !== null && ref.at_clause !== undefined) return [];
  const from = node.from_table as Json | undefined;
  if (!from) return [];
  // Unqualified names mean the table's columns only when it is the only table there.
  const alone = from === ref;
  if (!alone && !innerJoinLeaf(from, ref)) return [];
  const qualifier = isEmpty(ref.alias) ? table.toLowerCase() : String(ref.alias).toLowerCase();
  const columnOf = (expression: unknown): string | undefined => {
    const column = expression as Json | undefined;
    if (column?.class !== 'COLUMN_REF' || !Array.isArray(column.column_names)) return undefined;
    const parts = column.column_names.map((part) => String(part));
    if (parts.length === 1 && alone) return parts[0];
    if (parts.length === 2 && parts[0]?.toLowerCase() === qualifier) return parts[1];
    return undefined;
  };
  const filters: ColumnFilter[] = [];
  for (const conjunct of conjuncts(node.where_clause)) {
    const filter = asFilter(conjunct, columnOf);
    if (filter) filters.push(filter);
  }
  return filters;
}

/** Whether `ref` is a leaf of a tree of INNER / CROSS joins rooted at `from`, not inside a subquery. */
function innerJoinLeaf(from: Json, ref: Json): boolean {
  if (from === ref) return true;
  if (from.type !== 'JOIN') return false;
  const plain = from.join_type === 'INNER' && (from.ref_type === 'REGULAR' || from.ref_type === 'CROSS');
  if (!plain) return false;
  return innerJoinLeaf(from.left as Json, ref) || innerJoinLeaf(from.right as Json, ref);
}

function conjuncts(where: unknown): Json[] {
  const expression = where as Json | null | undefined;
  if (!expression) return [];
  if (
    expression.class === 'CONJUNCTION' &&
    expression.type === 'CONJUNCTION_AND' &&
    Array.isArray(expression.children)
  ) {
    return expression.children.flatMap((child) => conjuncts(child));
  }
  return [expression];
}

const comparisons: Record<string, ColumnFilter['op']> = {
  COMPARE_EQUAL: '=',
  COMPARE_LESSTHAN: '<',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHAN: '>',
  COMPARE_GREATERTHANOREQUALTO: '>=',
};
const flipped: Record<string, ColumnFilter['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function asFilter(expression: Json, columnOf: (expression: unknown) => string | undefined): ColumnFilter | undefined {
  const op = comparisons[String(expression.type)];
  if (expression.class === 'COMPARISON' && op) {
    const left = columnOf(expression.left);
    const right = columnOf(expression.right);
    const constant = left !== undefined ? constantOf(expression.right) : constantOf(expression.left);
    const column = left ?? right;
    if (column === undefined || constant === undefined || (left !== undefined && right !== undefined)) return undefined;
    return { column, op: left !== undefined ? op : (flipped[op] ?? op), values: [constant.sql], kind: constant.kind };
  }
  if (expression.class === 'BETWEEN' && expression.type === 'COMPARE_BETWEEN') {
    const column = columnOf(expression.input);
    const lower = constantOf(expression.lower);
    const upper = constantOf(expression.upper);
    if (column === undefined || !lower || !upper || lower.kind !== upper.kind) return undefined;
    return { column, op: 'between', values: [lower.sql, upper.sql], kind: lower.kind };
  }
  if (expression.class === 'OPERATOR' && expression.type === 'COMPARE_IN' && Array.isArray(expression.children)) {
    const [input, ...items] = expression.children;
    const column = columnOf(input);
    const constants = items.map((item) => constantOf(item));
    const kind = constants[0]?.kind;
    if (column === undefined || kind === undefined || constants.some((constant) => constant?.kind !== kind)) {
      return undefined;
    }
    return { column, op: 'in', values: constants.map((constant) => constant?.sql ?? ''), kind };
  }
  return undefined;
}

const integerTypes = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
]);
const temporalCasts = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE']);
const numericCasts = new Set([...integerTypes, 'HUGEINT', 'FLOAT', 'DOUBLE']);

/**
 * A constant of the parse tree as an SQL literal, rendered from its typed value (never
 * from the query's text): a string literal, a number whose value JSON carries exactly,
 * a boolean, or a cast of a string literal to a date/time, number or text type.
 * Anything else (NULL, an expression, a huge integer) is not a constant we use.
 */
function constantOf(expression: unknown): { sql: string; kind: ConstantKind } | undefined {
  const node = expression as Json | undefined;
  if (node?.class === 'CONSTANT') {
    const value = node.value as {
      type?: { id?: unknown; type_info?: Json | null };
      is_null?: unknown;
      value?: unknown;
    };
    if (value?.is_null !== false) return undefined;
    const id = String(value.type?.id ?? '');
    const raw = value.value;
    if (id === 'VARCHAR' && typeof raw === 'string') return { sql: quoteLiteral(raw), kind: 'string' };
    if (id === 'BOOLEAN' && typeof raw === 'boolean') return { sql: raw ? 'true' : 'false', kind: 'boolean' };
    if (integerTypes.has(id) && Number.isSafeInteger(raw)) return { sql: String(raw), kind: 'numeric' };
    if ((id === 'DOUBLE' || id === 'FLOAT') && typeof raw === 'number' && Number.isFinite(raw)) {
      return { sql: `CAST(${quoteLiteral(String(raw))} AS ${id})`, kind: 'numeric' };
    }
    if (id === 'DECIMAL' && Number.isSafeInteger(raw)) {
      const scale = Number(value.type?.type_info?.scale);
      const width = Number(value.type?.type_info?.width);
      if (!Number.isInteger(scale) || !Number.isInteger(width) || scale < 0 || width < 1 || width > 38)
        return undefined;
      return {
        sql: `CAST(${quoteLiteral(decimalText(raw as number, scale))} AS DECIMAL(${width},${scale}))`,
        kind: 'numeric',
      };
    }
    return undefined;
  }
  if (node?.class === 'CAST' && node.try_cast === false) {
    const child = node.child as Json | undefined;
    const inner =
      child?.class === 'CONSTANT'
        ? (child.value as { type?: { id?: unknown }; is_null?: unknown; value?: unknown })
        : undefined;
    if (inner?.is_null !== false || inner.type?.id !== 'VARCHAR' || typeof inner.value !== 'string') return undefined;
    const castType = node.cast_type as { id?: unknown; type_info?: Json | null } | undefined;
    const id = String(castType?.id ?? '');
    const text = quoteLiteral(inner.value);
    if (temporalCasts.has(id) && !castType?.type_info) return { sql: `CAST(${text} AS ${id})`, kind: 'temporal' };
    if (numericCasts.has(id) && !castType?.type_info) return { sql: `CAST(${text} AS ${id})`, kind: 'numeric' };
    if (id === 'VARCHAR' && !castType?.type_info) return { sql: `CAST(${text} AS VARCHAR)`, kind: 'text' };
    // `true` and `false` parse as CAST('t' AS BOOLEAN).
    if (id === 'BOOLEAN' && !castType?.type_info) return { sql: `CAST(${text} AS BOOLEAN)`, kind: 'boolean' };
    if (id === 'DECIMAL') {
      const scale = Number(castType?.type_info?.scale);
      const width = Number(castType?.type_info?.width);
      if (!Number.isInteger(scale) || !Number.isInteger(width) || scale < 0 || width < 1 || width > 38)
        return undefined;
      return { sql: `CAST(${text} AS DECIMAL(${width},${scale}))`, kind: 'numeric' };
    }
  }
  return undefined;
}

/** An unscaled decimal as text: (-1234, 2) → '-12.34'. */
function decimalText(unscaled: number, scale: number): string {
  const digits = Math.abs(unscaled)
    .toString()
    .padStart(scale + 1, '0');
  const sign = unscaled < 0 ? '-' : '';
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function sameName(value: unknown, name: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === name.toLowerCase();
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
