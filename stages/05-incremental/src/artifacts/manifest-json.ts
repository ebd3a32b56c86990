// target/manifest.json in dbt's manifest v12 layout: snake_case keys in dbt's field order,
// nulls written, every top-level key present, so tools that read dbt's artifacts
// (dagster-dbt, stage 6) read ours.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ColumnInfo, Manifest, ManifestNode, NodeConfig, SourceNode } from '../manifest/types.ts';
import { compiledRelativePath } from './compiled-files.ts';

/** The manifest schema this file follows. */
export const manifestSchemaVersion = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
/** The dbt version whose artifacts ours imitate. */
export const dbtVersion = '1.10.0';

/** A node's compiled SQL, when the run compiled it. */
export interface CompiledCode {
  sql: string;
  extraCtes?: ReadonlyArray<{ id: string; sql: string }>;
}

/** Options for {@link manifestJson}. */
export interface ManifestJsonOptions {
  /** The project folder (compiled paths are written relative to it, as dbt does). */
  projectRoot: string;
  /** The target folder. */
  targetPath: string;
  /** Compiled SQL by unique_id: those nodes get compiled: true and compiled_code. */
  compiled?: ReadonlyMap<string, CompiledCode> | undefined;
  invocationId?: string | undefined;
  /** When the run started (metadata.invocation_started_at) and when the file is written. */
  startedAt?: Date | undefined;
  generatedAt?: Date | undefined;
}

type Json = Record<string, unknown>;

/** The keys every config of a resource type has, in dbt's order, with dbt's defaults for what we do not model. */
const baseConfigKeys = [
  'enabled',
  'alias',
  'schema',
  'database',
  'tags',
  'meta',
  'group',
  'materialized',
  'incremental_strategy',
  'batch_size',
  'lookback',
  'begin',
  'persist_docs',
  'post-hook',
  'pre-hook',
  'quoting',
  'column_types',
  'full_refresh',
  'unique_key',
  'on_schema_change',
  'on_configuration_change',
  'grants',
  'packages',
  'docs',
  'contract',
  'event_time',
  'concurrent_batches',
];
const configKeys: Record<ManifestNode['resourceType'], string[]> = {
  model: [...baseConfigKeys, 'access'],
  seed: [...baseConfigKeys, 'delimiter', 'quote_columns'],
  snapshot: [
    ...baseConfigKeys,
    'strategy',
    'target_schema',
    'target_database',
    'updated_at',
    'check_cols',
    'snapshot_meta_column_names',
    'dbt_valid_to_current',
  ],
  test: [
    'enabled',
    'alias',
    'schema',
    'database',
    'tags',
    'meta',
    'group',
    'materialized',
    'severity',
    'store_failures',
    'store_failures_as',
    'where',
    'limit',
    'fail_calc',
    'warn_if',
    'error_if',
  ],
};
const configDefaults: Json = {
  group: null,
  persist_docs: {},
  quoting: {},
  on_configuration_change: 'apply',
  grants: {},
  packages: [],
  docs: { show: true, node_color: null },
  contract: { enforced: false, alias_types: true },
  concurrent_batches: null,
  access: 'protected',
  target_schema: null,
  target_database: null,
  snapshot_meta_column_names: {
    dbt_valid_to: null,
    dbt_valid_from: null,
    dbt_scd_id: null,
    dbt_updated_at: null,
    dbt_is_deleted: null,
  },
  dbt_valid_to_current: null,
  store_failures_as: null,
};
/** Keys of our NodeConfig that some types do not have; written only where they belong, or when set. */
const typedKeys = new Set(
  Object.values(configKeys)
    .flat()
    .concat([
      'incremental_predicates',
      'hard_deletes',
      'invalidate_hard_deletes',
      'delimiter',
      'quote_columns',
      'strategy',
      'updated_at',
      'check_cols',
      'severity',
      'where',
      'limit',
      'fail_calc',
      'warn_if',
      'error_if',
      'store_failures',
    ]),
);

/**
 * The manifest as dbt writes it (a plain object; {@link writeManifestJson} writes it).
 *
 * @example
 * const json = manifestJson(manifest, { projectRoot: project.root, targetPath: project.targetPath });
 */
export function manifestJson(manifest: Manifest, options: ManifestJsonOptions): Json {
  const createdAt = (options.generatedAt ?? new Date()).getTime() / 1000;
  const nodes: Json = {};
  for (const node of manifest.nodes.values()) nodes[node.uniqueId] = nodeJson(node, options, createdAt);
  const sources: Json = {};
  for (const source of manifest.sources.values()) sources[source.uniqueId] = sourceJson(source, createdAt);
  const macros: Json = {};
  for (const macro of manifest.macros.values()) {
    macros[macro.uniqueId] = {
      name: macro.name,
      resource_type: 'macro',
      package_name: macro.packageName,
      path: macro.originalFilePath.split('/').slice(1).join('/') || macro.originalFilePath,
      original_file_path: macro.originalFilePath,
      unique_id: macro.uniqueId,
      macro_sql: macro.macroSql,
      depends_on: { macros: macro.dependsOnMacros ?? [] },
      description: '',
      meta: {},
      docs: { show: true, node_color: null },
      patch_path: null,
      arguments: [],
      created_at: createdAt,
      supported_languages: null,
    };
  }
  const docs: Json = {};
  for (const doc of manifest.docs.values()) {
    docs[doc.uniqueId] = {
      name: doc.name,
      resource_type: 'doc',
      package_name: doc.packageName ?? manifest.projectName,
      path: doc.path ?? doc.originalFilePath,
      original_file_path: doc.originalFilePath,
      unique_id: doc.uniqueId,
      block_contents: doc.blockContents,
    };
  }
  const disabled: Json = {};
  for (const [id, list] of manifest.disabled ?? []) {
    disabled[id] = list.map((item) =>
      item.resourceType === 'source' ? sourceJson(item, createdAt) : nodeJson(item, options, createdAt),
    );
  }
  return {
    metadata: {
      dbt_schema_version: manifestSchemaVersion,
      dbt_version: dbtVersion,
      generated_at: isoZ(options.generatedAt ?? new Date()),
      invocation_id: options.invocationId ?? randomUUID(),
      invocation_started_at: isoZ(options.startedAt ?? options.generatedAt ?? new Date()),
      env: {},
      project_name: manifest.projectName,
      project_id: createHash('md5').update(manifest.projectName).digest('hex'),
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: manifest.target?.type ?? 'duckdb',
      quoting: { database: true, schema: true, identifier: true, column: null },
    },
    nodes,
    sources,
    macros,
    docs,
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled,
    parent_map: Object.fromEntries(manifest.parentMap),
    child_map: Object.fromEntries(manifest.childMap),
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
}

/**
 * Writes `<targetPath>/manifest.json` and returns its path.
 *
 * @example
 * writeManifestJson(manifest, { projectRoot: project.root, targetPath: project.targetPath, compiled });
 */
export function writeManifestJson(manifest: Manifest, options: ManifestJsonOptions): string {
  mkdirSync(options.targetPath, { recursive: true });
  const file = join(options.targetPath, 'manifest.json');
  writeFileSync(file, `${JSON.stringify(manifestJson(manifest, options), null, 2)}\n`);
  return file;
}

/** One node as dbt writes it (also what `ls --output json` filters). */
export function nodeJson(node: ManifestNode, options: ManifestJsonOptions, createdAt: number): Json {
  const common: Json = {
    database: node.relation.database,
    schema: node.relation.schema,
    name: node.name,
    resource_type: node.resourceType,
    package_name: node.packageName,
    path: node.path,
    original_file_path: node.originalFilePath,
    unique_id: node.uniqueId,
    fqn: node.fqn,
    alias: node.relation.identifier,
    checksum: node.checksum,
    config: configJson(node.config, node.resourceType, node.unrenderedConfig ?? {}),
    tags: node.tags,
    description: node.description,
    columns: Object.fromEntries(Object.entries(node.columns).map(([name, column]) => [name, columnJson(column)])),
    meta: node.meta,
    group: null,
    docs: { show: true, node_color: null },
    patch_path: node.patchPath ? `${node.packageName}://${node.patchPath}` : null,
    build_path: null,
    unrendered_config: node.unrenderedConfig,
    created_at: createdAt,
    relation_name: relationName(node),
    raw_code: node.rawCode,
    doc_blocks: [],
  };
  if (node.resourceType === 'seed') {
    return { ...common, root_path: options.projectRoot, depends_on: { macros: node.dependsOn.macros } };
  }
  const compiled = options.compiled?.get(node.uniqueId);
  const compiledPath = posix.join(
    posix.relative(options.projectRoot.split('\\').join('/'), options.targetPath.split('\\').join('/')) || '.',
    compiledRelativePath(node),
  );
  const out: Json = {
    ...common,
    language: node.language,
    refs: node.refs,
    sources: node.sources,
    metrics: [],
    depends_on: { macros: node.dependsOn.macros, nodes: node.dependsOn.nodes },
    compiled_path: compiled ? compiledPath : null,
    ...(compiled
      ? {
          compiled: true,
          compiled_code: compiled.sql,
          extra_ctes_injected: true,
          extra_ctes: (compiled.extraCtes ?? []).map((cte) => ({ id: cte.id, sql: cte.sql })),
        }
      : {}),
    contract: { enforced: false, alias_types: true, checksum: null },
  };
  if (node.resourceType === 'model') {
    Object.assign(out, {
      access: 'protected',
      constraints: [],
      version: null,
      latest_version: null,
      deprecation_date: null,
      primary_key: [],
      time_spine: null,
    });
  }
  if (node.resourceType === 'test' && node.testMetadata) {
    Object.assign(out, {
      column_name: node.columnName,
      file_key_name: node.fileKeyName ?? null,
      attached_node: node.attachedNode,
      test_metadata: node.testMetadata,
    });
  }
  return out;
}

/** A source as dbt writes it. */
export function sourceJson(source: SourceNode, createdAt: number): Json {
  return {
    database: source.relation.database,
    schema: source.relation.schema,
    name: source.name,
    resource_type: 'source',
    package_name: source.packageName,
    path: source.path,
    original_file_path: source.originalFilePath,
    unique_id: source.uniqueId,
    fqn: source.fqn,
    source_name: source.sourceName,
    source_description: source.sourceDescription,
    loader: source.loader,
    identifier: source.relation.identifier,
    quoting: { database: null, schema: null, identifier: null, column: null },
    loaded_at_field: source.loadedAtField ?? null,
    freshness: source.freshness ?? null,
    external: null,
    description: source.description,
    columns: Object.fromEntries(Object.entries(source.columns).map(([name, column]) => [name, columnJson(column)])),
    meta: source.meta,
    source_meta: source.sourceMeta ?? {},
    tags: source.tags,
    config: {
      enabled: source.config.enabled,
      event_time: source.eventTime,
      ...withoutKeys(source.config, ['enabled', 'event_time', 'tags', 'meta']),
    },
    patch_path: null,
    unrendered_config: source.unrenderedConfig ?? {},
    relation_name: quoted(source.relation.database, source.relation.schema, source.relation.identifier),
    created_at: createdAt,
    doc_blocks: [],
  };
}

/** A node's config with the keys its resource type has, in dbt's order, hooks as dbt writes them. */
function configJson(
  config: NodeConfig,
  resourceType: ManifestNode['resourceType'],
  explicit: Record<string, unknown>,
): Json {
  const out: Json = {};
  for (const key of configKeys[resourceType]) {
    const value = key in config ? config[key] : configDefaults[key];
    out[key] =
      key === 'pre-hook' || key === 'post-hook'
        ? ((value as string[] | undefined) ?? []).map((sql) => ({ sql, transaction: true, index: null }))
        : value === undefined
          ? (configDefaults[key] ?? null)
          : value;
  }
  for (const [key, value] of Object.entries(config)) {
    if (key in out) continue;
    // Our config has every type's keys; dbt's has a type's own plus what the user set.
    if (typedKeys.has(key) && !(key in explicit)) continue;
    out[key] = value;
  }
  return out;
}

function columnJson(column: ColumnInfo): Json {
  return {
    name: column.name,
    description: column.description,
    meta: column.meta,
    data_type: column.dataType,
    constraints: [],
    quote: column.quote,
    tags: column.tags,
    granularity: null,
    doc_blocks: [],
  };
}

/** `"db"."schema"."alias"`, or null where dbt writes null (ephemeral models, tests without store_failures). */
function relationName(node: ManifestNode): string | null {
  if (node.config.materialized === 'ephemeral') return null;
  if (node.resourceType === 'test' && node.config.store_failures !== true) return null;
  return quoted(node.relation.database, node.relation.schema, node.relation.identifier);
}

function quoted(...parts: string[]): string {
  return parts.map((part) => `"${part.replaceAll('"', '""')}"`).join('.');
}

function withoutKeys(record: Record<string, unknown>, keys: string[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

/** dbt's timestamps: ISO 8601 in UTC with microseconds and a Z. */
function isoZ(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
