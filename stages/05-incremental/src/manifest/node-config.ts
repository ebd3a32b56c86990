// dbt's config objects: the defaults of each resource type and how a more specific
// setting combines with a less specific one (core/dbt/artifacts/resources/v1/config.py).
import type { NodeConfig, ResourceType } from './types.ts';

/** Keys whose lists are appended (`tags`, hooks). */
const appendKeys = new Set(['tags', 'pre-hook', 'post-hook', 'packages']);
/** Keys whose dicts are merged, the more specific key winning. */
const updateKeys = new Set(['meta', 'quoting', 'column_types', 'docs', 'contract']);
/** `grants`: dicts merged, each key's list appended. */
const dictKeyAppendKeys = new Set(['grants']);

/** The config keys a test's yml entry may give outside `config:` (dbt's legacy form). */
export const testConfigKeys = new Set([
  'severity',
  'tags',
  'enabled',
  'where',
  'limit',
  'warn_if',
  'error_if',
  'fail_calc',
  'store_failures',
  'store_failures_as',
  'meta',
  'database',
  'schema',
  'alias',
]);

/**
 * The config of a node nothing configured, by resource type (dbt's defaults).
 *
 * @example
 * defaultConfig('seed').materialized // → 'seed'
 */
export function defaultConfig(resourceType: Exclude<ResourceType, 'source'>): NodeConfig {
  return {
    enabled: true,
    materialized: { model: 'view', seed: 'seed', snapshot: 'snapshot', test: 'test' }[resourceType],
    alias: null,
    schema: resourceType === 'test' ? 'dbt_test__audit' : null,
    database: null,
    tags: [],
    meta: {},
    incremental_strategy: null,
    unique_key: null,
    on_schema_change: 'ignore',
    incremental_predicates: null,
    full_refresh: null,
    event_time: null,
    batch_size: null,
    begin: null,
    lookback: 1,
    column_types: {},
    delimiter: ',',
    quote_columns: null,
    strategy: null,
    updated_at: null,
    check_cols: null,
    hard_deletes: null,
    invalidate_hard_deletes: null,
    severity: 'ERROR',
    where: null,
    limit: null,
    fail_calc: 'count(*)',
    warn_if: '!= 0',
    error_if: '!= 0',
    store_failures: null,
    'pre-hook': [],
    'post-hook': [],
  };
}

/** A config key as dbt spells it: without `+`, `pre_hook` → `pre-hook`. */
export function configKey(key: string): string {
  const bare = key.replace(/^\+/, '');
  return bare === 'pre_hook' ? 'pre-hook' : bare === 'post_hook' ? 'post-hook' : bare;
}

/** Normalises a patch's keys and values (hooks and tags as lists, severity upper-case). */
export function normaliseConfig(patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(patch)) {
    const key = configKey(rawKey);
    if (key === 'tags') out.tags = toStringList(value);
    else if (key === 'pre-hook' || key === 'post-hook') out[key] = hookList(value);
    else if (key === 'severity' && typeof value === 'string') out.severity = value.toUpperCase();
    else if (key === 'predicates') out.incremental_predicates = value;
    else out[key] = value;
  }
  return out;
}

/**
 * Applies a more specific config over a less specific one with dbt's merge behaviours:
 * tags and hooks append, meta/column_types/docs… merge, grants merge with lists
 * appended, everything else is replaced.
 *
 * @example
 * mergeConfig(defaultConfig('model'), { '+tags': ['a'], materialized: 'table' })
 */
export function mergeConfig<T extends Record<string, unknown>>(base: T, patch: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(normaliseConfig(patch))) {
    const current = out[key];
    if (appendKeys.has(key)) {
      const list = [...toStringList(current), ...toStringList(value)];
      out[key] = key === 'tags' ? [...new Set(list)] : list;
    } else if (updateKeys.has(key) && isRecord(current) && isRecord(value)) {
      out[key] = { ...current, ...value };
    } else if (dictKeyAppendKeys.has(key) && isRecord(current) && isRecord(value)) {
      const merged: Record<string, unknown> = { ...current };
      for (const [grant, who] of Object.entries(value)) {
        merged[grant] = [...toStringList(merged[grant]), ...toStringList(who)];
      }
      out[key] = merged;
    } else {
      out[key] = value;
    }
  }
  return out as T;
}

/**
 * The config settings dbt_project.yml gives a node, least specific first: the block's
 * root, then the level named after each part of the node's fqn (dbt's `fqn_search`).
 * At each level `+key` is a config, and so is a key whose value is not a dict; a dict
 * under a key without `+` is a folder (or model) level.
 *
 * @example
 * projectLevels({ '+materialized': 'view', shop: { staging: { '+tags': ['stg'] } } }, ['shop', 'staging', 'stg_orders'])
 * // → [{ '+materialized': 'view' }, {}, { '+tags': ['stg'] }]
 */
export function projectLevels(block: Record<string, unknown>, fqn: readonly string[]): Record<string, unknown>[] {
  const levels: Record<string, unknown>[] = [];
  let level: unknown = block;
  levels.push(configsAt(block));
  for (const part of fqn) {
    level = isRecord(level) ? level[part] : undefined;
    if (!isRecord(level)) break;
    levels.push(configsAt(level));
  }
  return levels;
}

function configsAt(level: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(level).filter(([key, value]) => key.startsWith('+') || !isRecord(value)));
}

function hookList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map((item) => (isRecord(item) && typeof item.sql === 'string' ? item.sql : String(item)));
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
