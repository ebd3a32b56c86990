import type { DbtJinja } from '../jinja/dbt-jinja.ts';
import { detachedScope } from '../jinja/render-scope.ts';
import type { ManifestNode, Relation } from './types.ts';

/** The target the relations are named for. */
export interface NamingTarget {
  database: string;
  schema: string;
}

/**
 * Where a node is built, as dbt names it: `generate_database_name`,
 * `generate_schema_name` (`target.schema`, or `target.schema_<custom>` with a custom
 * schema) and `generate_alias_name` (alias, else name). A project macro of the same
 * name replaces each default, as in dbt.
 *
 * @example
 * nodeRelation(jinja, node, { database: 'wh', schema: 'main' }) // config.schema 'marts' → { schema: 'main_marts', … }
 */
export function nodeRelation(jinja: DbtJinja, node: ManifestNode, target: NamingTarget): Relation {
  const config = node.config;
  // Legacy SQL snapshots: target_schema / target_database are used as they are.
  const targetSchema = node.resourceType === 'snapshot' ? stringOrNull(config.target_schema) : null;
  const targetDatabase = node.resourceType === 'snapshot' ? stringOrNull(config.target_database) : null;
  const database =
    targetDatabase ??
    custom(jinja, 'generate_database_name', config.database, node) ??
    config.database ??
    target.database;
  const schema =
    targetSchema ??
    custom(jinja, 'generate_schema_name', config.schema, node) ??
    (config.schema === null || config.schema === ''
      ? target.schema
      : `${target.schema}_${String(config.schema).trim()}`);
  const identifier = custom(jinja, 'generate_alias_name', config.alias, node) ?? config.alias ?? node.name;
  return { database: String(database), schema, identifier };
}

function custom(jinja: DbtJinja, macro: string, value: unknown, node: ManifestNode): string | null {
  const definition = jinja.macros.get(macro);
  if (!definition || definition.packageName === 'dbt') return null;
  const scope = detachedScope(`${macro}()`);
  const nodeArg = {
    name: node.name,
    unique_id: node.uniqueId,
    resource_type: node.resourceType,
    package_name: node.packageName,
    original_file_path: node.originalFilePath,
    fqn: node.fqn,
    config: node.config,
    tags: node.tags,
  };
  const out = jinja.call(macro, [value ?? null, nodeArg], {}, scope);
  return String(out).trim();
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
