import type { Database } from '@mart/shared';
import type { ColumnLineageInputField } from '../given/lineage-types.ts';

/** A table as the SQL names it: `t`, `main.t`, `lake.silver.t`. */
export interface TableName {
  catalog?: string;
  schema?: string;
  table: string;
}

/** Options for {@link columnLineage}. */
export interface ColumnLineageOptions {
  /** The model's compiled SQL: one SELECT (CTEs, joins, subqueries, UNION allowed). */
  sql: string;
  /** The columns of a table the SQL reads, in order (expands `*`, places unqualified names); undefined if unknown. */
  columnsOf(table: TableName): readonly string[] | undefined;
  /** The dataset a table the SQL reads is; undefined leaves the table out (a temporary table, say). */
  datasetOf(table: TableName): { namespace: string; name: string } | undefined;
  /**
   * The output's column names in order, when known (the table the model wrote): they
   * name expressions without an alias, which DuckDB names after their text.
   */
  outputColumns?: readonly string[];
}

/** What {@link columnLineage} found. */
export interface ColumnLineageResult {
  /** Output column → the input columns its value is computed from (the facet's `fields`). */
  fields: Record<string, ColumnLineageInputField[]>;
  /** What was not understood, one line each (the lineage of those columns is missing or partial). */
  unsupported: string[];
}

/** How an output column relates to an input column, weakest first. */
type Transformation = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
const rank: Record<Transformation, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

/** One input column an output column reads. */
interface Source {
  table: TableName;
  column: string;
  how: Transformation;
}

/** One column of a relation: its name (when known) and what it is computed from. */
interface Column {
  name: string | undefined;
  sources: Source[];
}

/** A relation in a FROM clause: a base table, a CTE, a subquery. */
interface Relation {
  /** The name it is referred to by: its alias, or its table name. */
  alias: string;
  /** Its columns, when known. */
  columns: Column[] | undefined;
  /** For a base table whose columns are unknown: its name, so `alias.col` still resolves. */
  base: TableName | undefined;
}

type Node = Record<string, unknown>;

/** DuckDB aggregate functions (the common ones): a column read through one is AGGREGATION. */
const aggregates = new Set([
  'sum',
  'count',
  'count_star',
  'avg',
  'mean',
  'min',
  'max',
  'any_value',
  'first',
  'last',
  'arbitrary',
  'list',
  'array_agg',
  'string_agg',
  'group_concat',
  'listagg',
  'median',
  'mode',
  'quantile',
  'quantile_cont',
  'quantile_disc',
  'approx_count_distinct',
  'approx_quantile',
  'arg_min',
  'arg_max',
  'argmin',
  'argmax',
  'min_by',
  'max_by',
  'bool_and',
  'bool_or',
  'bit_and',
  'bit_or',
  'product',
  'fsum',
  'sumkahan',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'corr',
  'covar_pop',
  'covar_samp',
  'histogram',
  'entropy',
  'kurtosis',
  'skewness',
]);

/**
 * Column-level lineage of a SQL model, from DuckDB's own parser: `json_serialize_sql`
 * returns the parse tree, and each output column is mapped to the input columns its
 * expression references, through CTEs, subqueries, joins, UNION and aggregates.
 *
 * Understood: SELECT lists of column references and expressions (functions, operators,
 * CASE, CAST, COALESCE…), aliases (also an alias used later in the same SELECT list),
 * `*`, `t.*` and `* EXCLUDE (…)` / `* REPLACE (…)` when the tables' columns are known,
 * base tables with or without aliases and catalog/schema, joins of any kind, subqueries
 * in FROM and in the SELECT list (correlated ones too), CTEs (nested, referenced
 * several times), UNION / EXCEPT / INTERSECT, aggregates and window functions.
 *
 * Not handled (listed in `unsupported`, or silently absent): recursive CTEs; `COLUMNS(…)`
 * expressions; table functions (`read_parquet('…')`, `unnest`…) as inputs; PIVOT /
 * UNPIVOT; struct field access (`s.field`); lambda parameters; columns that filter, join
 * or group rows without being selected (WHERE, ON, GROUP BY, window PARTITION/ORDER BY:
 * the "indirect" lineage that facet 1-0-1 has no place for); an unqualified column in a
 * join whose tables' columns are unknown is credited to the first table.
 *
 * @example
 * await columnLineage(db, { sql: 'select id, sum(x) as total from t group by id',
 *   columnsOf: () => ['id', 'x'], datasetOf: (t) => ({ namespace: 'duckdb:///w.duckdb', name: `main.${t.table}` }) })
 * // → { fields: { id: [{ …, field: 'id', transformation: 'IDENTITY' }], total: [{ …, field: 'x', transformation: 'AGGREGATION' }] }, unsupported: [] }
 */
export async function columnLineage(db: Database, options: ColumnLineageOptions): Promise<ColumnLineageResult> {
  const rows = await db.all('select json_serialize_sql($1::varchar) as tree', [options.sql]);
  const tree = JSON.parse(String(rows[0]?.tree)) as Node;
  return columnLineageFromTree(tree, options);
}

/** {@link columnLineage} on a tree `json_serialize_sql` already returned. */
export function columnLineageFromTree(tree: Node, options: Omit<ColumnLineageOptions, 'sql'>): ColumnLineageResult {
  const unsupported: string[] = [];
  if (tree.error === true) {
    return { fields: {}, unsupported: [`DuckDB could not parse the SQL: ${String(tree.error_message)}`] };
  }
  const statements = (tree.statements ?? []) as Node[];
  const node = statements[0]?.node as Node | undefined;
  if (statements.length !== 1 || !node) {
    return { fields: {}, unsupported: ['Expected exactly one SELECT statement.'] };
  }
  const analyzer = new Analyzer(options, unsupported);
  const columns = analyzer.query(node, new Map(), []);
  const fields: Record<string, ColumnLineageInputField[]> = {};
  const names = options.outputColumns?.length === columns.length ? options.outputColumns : undefined;
  columns.forEach((column, i) => {
    const name = names?.[i] ?? column.name;
    if (name === undefined) {
      unsupported.push(`Output column ${i + 1} has no alias: pass outputColumns to name it.`);
      return;
    }
    const inputs = new Map<string, ColumnLineageInputField>();
    for (const source of column.sources) {
      const dataset = options.datasetOf(source.table);
      if (!dataset) continue;
      const key = `${dataset.namespace}\u0000${dataset.name}\u0000${source.column}`;
      const seen = inputs.get(key);
      if (seen && rank[seen.transformation as Transformation] >= rank[source.how]) continue;
      inputs.set(key, { ...dataset, field: source.column, transformation: source.how });
    }
    // A column computed from no input (a constant, count(*)) has no lineage to show.
    if (inputs.size > 0) fields[name] = [...inputs.values()];
  });
  return { fields, unsupported };
}

class Analyzer {
  readonly options: Omit<ColumnLineageOptions, 'sql'>;
  readonly unsupported: string[];

  constructor(options: Omit<ColumnLineageOptions, 'sql'>, unsupported: string[]) {
    this.options = options;
    this.unsupported = unsupported;
  }

  /** The columns a query node (SELECT, set operation) produces. */
  query(node: Node, ctes: Map<string, Column[]>, outer: Relation[]): Column[] {
    const scope = this.withCtes(node, ctes, outer);
    switch (node.type) {
      case 'SELECT_NODE':
        return this.select(node, scope, outer);
      case 'SET_OPERATION_NODE': {
        const left = this.query(node.left as Node, scope, outer);
        const right = this.query(node.right as Node, scope, outer);
        // UNION: a row comes from either side; EXCEPT / INTERSECT return the left's values.
        if (node.setop_type !== 'UNION' && node.setop_type !== 'UNION_BY_NAME') return left;
        return left.map((column, i) => ({
          name: column.name,
          sources: [...column.sources, ...(right[i]?.sources ?? [])],
        }));
      }
      case 'RECURSIVE_CTE_NODE':
        this.unsupported.push('Recursive CTEs are not followed.');
        return [];
      default:
        this.unsupported.push(`Query nodes of type ${String(node.type)} are not followed.`);
        return [];
    }
  }

  /** The CTEs visible inside `node`: the enclosing ones plus its own WITH, each analyzed once. */
  withCtes(node: Node, ctes: Map<string, Column[]>, outer: Relation[]): Map<string, Column[]> {
    const own = ((node.cte_map as Node | undefined)?.map ?? []) as { key: string; value: Node }[];
    if (own.length === 0) return ctes;
    const scope = new Map(ctes);
    for (const { key, value } of own) {
      const query = (value.query as Node | undefined)?.node as Node | undefined;
      if (query) scope.set(key.toLowerCase(), this.query(query, scope, outer));
    }
    return scope;
  }

  select(node: Node, ctes: Map<string, Column[]>, outer: Relation[]): Column[] {
    const relations = this.from(node.from_table as Node | undefined, ctes, outer);
    const columns: Column[] = [];
    for (const expression of (node.select_list ?? []) as Node[]) {
      if (expression.class === 'STAR') {
        columns.push(...this.star(expression, relations, ctes, outer, columns));
        continue;
      }
      const sources = this.expression(expression, relations, ctes, outer, columns);
      const alias = typeof expression.alias === 'string' && expression.alias !== '' ? expression.alias : undefined;
      const name =
        alias ??
        (expression.class === 'COLUMN_REF' ? ((expression.column_names as string[]).at(-1) ?? undefined) : undefined);
      columns.push({ name, sources });
    }
    return columns;
  }

  /** `*`, `t.*`, `* EXCLUDE (…)`, `* REPLACE (… AS c)`: every known column of the relations. */
  star(
    star: Node,
    relations: Relation[],
    ctes: Map<string, Column[]>,
    outer: Relation[],
    selected: Column[],
  ): Column[] {
    if (star.columns === true || star.expr) {
      this.unsupported.push('COLUMNS(…) expressions are not followed.');
      return [];
    }
    const from = typeof star.relation_name === 'string' && star.relation_name !== '' ? star.relation_name : undefined;
    const picked = from ? relations.filter((relation) => same(relation.alias, from)) : relations;
    const exclude = new Set(((star.exclude_list ?? []) as unknown[]).map((name) => String(name).toLowerCase()));
    const replace = new Map<string, Node>();
    for (const entry of (star.replace_list ?? []) as { key: string; value: Node }[]) {
      replace.set(String(entry.key).toLowerCase(), entry.value);
    }
    const columns: Column[] = [];
    for (const relation of picked) {
      if (!relation.columns) {
        this.unsupported.push(`Cannot expand ${from ?? ''}* over ${relation.alias}: its columns are unknown.`);
        continue;
      }
      for (const column of relation.columns) {
        const name = column.name?.toLowerCase();
        if (name !== undefined && exclude.has(name)) continue;
        const replacement = name === undefined ? undefined : replace.get(name);
        columns.push(
          replacement
            ? { name: column.name, sources: this.expression(replacement, relations, ctes, outer, selected) }
            : column,
        );
      }
    }
    return columns;
  }

  /** The relations of a FROM clause, left to right. */
  from(table: Node | undefined, ctes: Map<string, Column[]>, outer: Relation[]): Relation[] {
    if (!table) return [];
    const alias = typeof table.alias === 'string' && table.alias !== '' ? table.alias : undefined;
    const rename = (columns: Column[] | undefined): Column[] | undefined => {
      const names = (table.column_name_alias ?? []) as string[];
      if (!columns || names.length === 0) return columns;
      return columns.map((column, i) => ({ ...column, name: names[i] ?? column.name }));
    };
    switch (table.type) {
      case 'EMPTY':
      case 'EMPTY_FROM':
        return [];
      case 'BASE_TABLE': {
        const name: TableName = {
          table: String(table.table_name),
          ...(table.schema_name ? { schema: String(table.schema_name) } : {}),
          ...(table.catalog_name ? { catalog: String(table.catalog_name) } : {}),
        };
        const cte = name.schema === undefined ? ctes.get(name.table.toLowerCase()) : undefined;
        if (cte) return [{ alias: alias ?? name.table, columns: rename(cte), base: undefined }];
        const known = this.options.columnsOf(name);
        const columns = known?.map((column) => ({
          name: column,
          sources: [{ table: name, column, how: 'IDENTITY' as Transformation }],
        }));
        return [{ alias: alias ?? name.table, columns: rename(columns), base: name }];
      }
      case 'SUBQUERY': {
        const query = (table.subquery as Node | undefined)?.node as Node | undefined;
        const columns = query ? this.query(query, ctes, outer) : [];
        return [{ alias: alias ?? '', columns: rename(columns), base: undefined }];
      }
      case 'JOIN':
        return [
          ...this.from(table.left as Node | undefined, ctes, outer),
          ...this.from(table.right as Node | undefined, ctes, outer),
        ];
      case 'TABLE_FUNCTION': {
        const fn = String((table.function as Node | undefined)?.function_name ?? 'a table function');
        this.unsupported.push(`Reads through ${fn}(…) are not followed.`);
        return [{ alias: alias ?? fn, columns: undefined, base: undefined }];
      }
      default:
        this.unsupported.push(`FROM items of type ${String(table.type)} are not followed.`);
        return [];
    }
  }

  /** The input columns an expression references, and how. */
  expression(
    expression: Node,
    relations: Relation[],
    ctes: Map<string, Column[]>,
    outer: Relation[],
    selected: Column[],
  ): Source[] {
    const sources: Source[] = [];
    const visit = (node: unknown, inAggregate: boolean): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item, inAggregate);
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      const n = node as Node;
      if (n.class === 'COLUMN_REF') {
        const found = this.column(n.column_names as string[], relations, outer, selected);
        for (const source of found) sources.push(inAggregate ? { ...source, how: 'AGGREGATION' } : source);
        return;
      }
      if (n.class === 'SUBQUERY' && n.subquery) {
        const query = (n.subquery as Node).node as Node;
        // Correlated references resolve against this query's relations.
        for (const column of this.query(query, ctes, [...relations, ...outer])) {
          for (const source of column.sources) sources.push(inAggregate ? { ...source, how: 'AGGREGATION' } : source);
        }
        return;
      }
      const aggregate =
        inAggregate ||
        (n.class === 'FUNCTION' && aggregates.has(String(n.function_name).toLowerCase())) ||
        (n.class === 'WINDOW' && aggregates.has(String(n.function_name).toLowerCase()));
      for (const [key, value] of Object.entries(n)) {
        // A window's PARTITION BY / ORDER BY pick rows, they are not the value.
        if (n.class === 'WINDOW' && (key === 'partitions' || key === 'orders')) continue;
        if (key === 'filter' && n.class === 'FUNCTION') continue; // `sum(x) filter (where y)`: y only filters
        visit(value, aggregate);
      }
    };
    visit(expression, false);
    // A bare column keeps its own transformation; anything around it transforms it.
    const bare = expression.class === 'COLUMN_REF';
    return sources.map((source) =>
      bare || rank[source.how] >= rank.TRANSFORMATION ? source : { ...source, how: 'TRANSFORMATION' },
    );
  }

  /** What a column reference points at: a relation's column (or an alias earlier in the SELECT list). */
  column(names: string[], relations: Relation[], outer: Relation[], selected: Column[]): Source[] {
    const column = names.at(-1) ?? '';
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    for (const scope of [relations, outer]) {
      if (qualifier !== undefined) {
        const relation = scope.find((r) => same(r.alias, qualifier) || (r.base && same(r.base.table, qualifier)));
        if (!relation) continue;
        return this.fromRelation(relation, column);
      }
      const withColumn = scope.filter((r) => r.columns?.some((c) => c.name !== undefined && same(c.name, column)));
      if (withColumn[0]) return this.fromRelation(withColumn[0], column);
      // DuckDB lets a later expression use an earlier alias of the same SELECT list.
      if (scope === relations) {
        const alias = selected.find((c) => c.name !== undefined && same(c.name, column));
        if (alias) return alias.sources;
      }
      const unknown = scope.filter((r) => r.columns === undefined);
      if (unknown[0]) return this.fromRelation(unknown[0], column);
    }
    if (names.length <= 2)
      this.unsupported.push(`Column ${names.join('.')} was not found in any table it could come from.`);
    else this.unsupported.push(`${names.join('.')}: struct fields and fully qualified columns are not followed.`);
    return [];
  }

  fromRelation(relation: Relation, column: string): Source[] {
    if (relation.columns) {
      const found = relation.columns.find((c) => c.name !== undefined && same(c.name, column));
      if (found) return found.sources;
      this.unsupported.push(`Column ${column} is not a column of ${relation.alias}.`);
      return [];
    }
    return relation.base ? [{ table: relation.base, column, how: 'IDENTITY' }] : [];
  }
}

/** SQL identifiers compare case-insensitively (DuckDB's default). */
function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
