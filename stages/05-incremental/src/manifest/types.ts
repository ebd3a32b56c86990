// The parsed project as the runner works with it: dbt's manifest, in memory. The
// project loader and the Jinja compiler produce it; materializations, tests, selection
// and the artifacts read it. Field names follow dbt's manifest.json v12 (camelCase here,
// snake_case when written), so the artifacts are a plain mapping of these.

/** The resource types this runner builds. */
export type ResourceType = 'model' | 'seed' | 'snapshot' | 'test' | 'source';

/** Where a node's table or view lives: `"database"."schema"."identifier"` when rendered. */
export interface Relation {
  database: string;
  schema: string;
  identifier: string;
}

/** One column as declared in a properties (yml) file. */
export interface ColumnInfo {
  name: string;
  description: string;
  dataType: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  quote: boolean | null;
}

/**
 * A node's configuration after dbt's precedence rules: defaults, then dbt_project.yml
 * (root block, then each folder level), then yml properties, then `config()` in the file.
 * Keys are dbt's own (snake_case, `pre-hook`); values are as written (YAML/Jinja values).
 * Known keys are typed; any other key is kept (dbt passes unknown configs through).
 */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  alias: string | null;
  schema: string | null;
  database: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  /** incremental */
  incremental_strategy: string | null;
  unique_key: string | string[] | null;
  on_schema_change: string;
  incremental_predicates: string[] | null;
  full_refresh: boolean | null;
  /** microbatch */
  event_time: string | null;
  batch_size: string | null;
  begin: string | null;
  lookback: number;
  /** seeds */
  column_types: Record<string, string>;
  delimiter: string;
  quote_columns: boolean | null;
  /** snapshots */
  strategy: string | null;
  updated_at: string | null;
  check_cols: string | string[] | null;
  hard_deletes: string | null;
  invalidate_hard_deletes: boolean | null;
  /** data tests */
  severity: 'ERROR' | 'WARN';
  where: string | null;
  limit: number | null;
  fail_calc: string;
  warn_if: string;
  error_if: string;
  store_failures: boolean | null;
  /** hooks: SQL run before / after the node (in its transaction). */
  'pre-hook': string[];
  'post-hook': string[];
  [key: string]: unknown;
}

/** A ref as written: `ref('m')` or `ref('pkg', 'm')`. */
export interface RefCall {
  name: string;
  package: string | null;
  version: string | number | null;
}

/** What a generic test is: `not_null` on `orders.order_id`, with its arguments. */
export interface TestMetadata {
  /** `not_null`, `unique`, `accepted_values`, `relationships`, or a custom test's name. */
  name: string;
  /** Arguments from the yml, `column_name` and `model` included (as dbt writes them). */
  kwargs: Record<string, unknown>;
  namespace: string | null;
}

/** A model, seed, snapshot or data test: one entry of manifest.nodes. */
export interface ManifestNode {
  uniqueId: string;
  resourceType: Exclude<ResourceType, 'source'>;
  name: string;
  packageName: string;
  /** Relative to the resource folder, e.g. `staging/stg_sales.sql`. */
  path: string;
  /** Relative to the project root, e.g. `models/staging/stg_sales.sql`. */
  originalFilePath: string;
  /** Absolute path of the file the node comes from (the .sql, .csv or .yml). */
  absolutePath: string;
  /** `[project, ...folders, name]`. */
  fqn: string[];
  /** The file's text (Jinja SQL); empty for seeds; generated for generic tests. */
  rawCode: string;
  language: 'sql';
  config: NodeConfig;
  /** The config as written, before rendering (what `state:modified` compares). */
  unrenderedConfig: Record<string, unknown>;
  tags: string[];
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  refs: RefCall[];
  /** `[source_name, table_name]` pairs. */
  sources: Array<[string, string]>;
  dependsOn: { nodes: string[]; macros: string[] };
  /** Where it is built; ephemeral models and tests have one too (alias), but nothing is created. */
  relation: Relation;
  /** `{ name: 'sha256', checksum }` of the file's stripped contents (`{ name: 'none', checksum: '' }` for generic tests). */
  checksum: { name: string; checksum: string };
  /** The yml file that described it, relative to the project root, if any. */
  patchPath: string | null;
  /** Generic tests only. */
  testMetadata: TestMetadata | null;
  /** Generic tests on a column. */
  columnName: string | null;
  /** Generic tests: the node the test is about. */
  attachedNode: string | null;
  /** Line in `absolutePath` where the node starts (snapshot blocks, yml entries), for errors. */
  line: number;
  /** Generic tests: where in the yml they were declared, `models.orders` / `sources.raw` (dbt's file_key_name). */
  fileKeyName?: string | null;
  /** Where each ref() and source() was called (file relative to the project, 1-based line), in `refs` / `sources` order. */
  callSites?: { refs: NodePosition[]; sources: NodePosition[] };
}

/** A place in a project file. */
export interface NodePosition {
  file: string;
  line: number;
  column: number;
}

/** A table declared under `sources:` in a yml file: one entry of manifest.sources. */
export interface SourceNode {
  uniqueId: string;
  resourceType: 'source';
  name: string;
  sourceName: string;
  packageName: string;
  path: string;
  originalFilePath: string;
  fqn: string[];
  relation: Relation;
  description: string;
  sourceDescription: string;
  loader: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  tags: string[];
  config: { enabled: boolean; [key: string]: unknown };
  /** `event_time` config of the source, if any (filters it inside microbatch models). */
  eventTime: string | null;
  /** The config as written (what `state:modified` compares). */
  unrenderedConfig?: Record<string, unknown>;
  /** `loaded_at_field` and `freshness` as written in the yml (freshness is not checked by this runner). */
  loadedAtField?: string | null;
  freshness?: unknown;
  /** `meta` of the source (not the table). */
  sourceMeta?: Record<string, unknown>;
  /** Line of the table's entry in the yml. */
  line?: number;
}

/** A macro from the project's macro paths (or a built-in one). */
export interface MacroNode {
  uniqueId: string;
  name: string;
  packageName: string;
  originalFilePath: string;
  macroSql: string;
  /** The project macros this one calls (by a plain name match of its text), for `state:modified`. */
  dependsOnMacros?: string[];
  /** Line of `{% macro %}` in its file. */
  line?: number;
}

/** A `{% docs name %}…{% enddocs %}` block, for doc() in descriptions. */
export interface DocNode {
  uniqueId: string;
  name: string;
  originalFilePath: string;
  blockContents: string;
  packageName?: string;
  /** Relative to its resource folder. */
  path?: string;
}

/** The whole parsed project. */
export interface Manifest {
  projectName: string;
  nodes: Map<string, ManifestNode>;
  sources: Map<string, SourceNode>;
  macros: Map<string, MacroNode>;
  docs: Map<string, DocNode>;
  /** unique_id → the unique_ids it depends on (sorted). */
  parentMap: Map<string, string[]>;
  /** unique_id → the unique_ids that depend on it (sorted). */
  childMap: Map<string, string[]>;
  /** Problems that did not stop parsing (an ignored config key…), each said once. */
  warnings: string[];
  /** Nodes and sources with `enabled: false`, by unique_id (a list: dbt allows several with one id). */
  disabled?: Map<string, Array<ManifestNode | SourceNode>>;
  /** The target the relations were named for (`target.database` / `target.schema`). */
  target?: { name: string; database: string; schema: string; type: string; threads: number };
}
