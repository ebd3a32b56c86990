import { createHash } from 'node:crypto';
import { type Database, isMissingRelation, quoteQualified } from '@mart/shared';
import type { ManifestNode } from '../manifest/types.ts';

/** Where run state lives in the target database: `"<database>"."_mart_state"."models"`. */
export const runStateSchema = '_mart_state';
export const runStateTable = 'models';

/** What the runner remembers about one model between runs. */
export interface ModelState {
  uniqueId: string;
  /** `"db"."schema"."alias"` it was built as. */
  relation: string;
  materialized: string;
  /**
   * How far the model's data goes, as a UTC ISO time: microbatch, the end of the last
   * batch finished in order; other incrementals with `event_time`, the newest event time
   * in the table; null otherwise.
   */
  watermark: string | null;
  /** sha256 of the SQL it compiles to for a full build, at its last full build. */
  sqlFingerprint: string;
  /** sha256 of its config (the keys that change what it builds), at its last full build. */
  configFingerprint: string;
  /** When it was last built, and last built from scratch (UTC ISO). */
  builtAt: string;
  lastFullRefreshAt: string | null;
}

function stateTable(database: string): string {
  return quoteQualified(database, runStateSchema, runStateTable);
}

/** Creates the state table if missing; run once before the workers start. */
export async function ensureRunState(db: Database, database: string): Promise<void> {
  await db.run(`create schema if not exists ${quoteQualified(database, runStateSchema)}`);
  await db.run(`create table if not exists ${stateTable(database)} (
    unique_id varchar not null,
    relation varchar not null,
    materialized varchar not null,
    watermark varchar,
    sql_fingerprint varchar not null,
    config_fingerprint varchar not null,
    built_at timestamp not null,
    last_full_refresh_at timestamp
  )`);
}

/**
 * Every model's state, or one model's. Empty when nothing was ever built here.
 *
 * @example
 * const [state] = await readRunState(db, 'stage-05', 'model.mart.fct_sales');
 */
export async function readRunState(db: Database, database: string, uniqueId?: string): Promise<ModelState[]> {
  let rows: Array<Record<string, string | null>>;
  try {
    rows = await db.all<Record<string, string | null>>(
      `select unique_id, relation, materialized, watermark, sql_fingerprint, config_fingerprint,
              strftime(built_at, '%Y-%m-%dT%H:%M:%S.%fZ') as built_at,
              strftime(last_full_refresh_at, '%Y-%m-%dT%H:%M:%S.%fZ') as last_full_refresh_at
         from ${stateTable(database)} ${uniqueId === undefined ? '' : 'where unique_id = $1'} order by unique_id`,
      uniqueId === undefined ? [] : [uniqueId],
    );
  } catch (error) {
    // No state table yet: nothing was ever built here. Asking first would cost a catalog
    // query for every model of every run; a binder error leaves a transaction usable.
    if (isMissingRelation(error)) return [];
    throw error;
  }
  return rows.map((row) => ({
    uniqueId: String(row.unique_id),
    relation: String(row.relation),
    materialized: String(row.materialized),
    watermark: row.watermark ?? null,
    sqlFingerprint: String(row.sql_fingerprint),
    configFingerprint: String(row.config_fingerprint),
    builtAt: String(row.built_at),
    lastFullRefreshAt: row.last_full_refresh_at ?? null,
  }));
}

/**
 * Replaces a model's state row; call inside the transaction that builds the model. One
 * MERGE rather than a delete and an insert: a run writes state after every model and
 * every microbatch, and each statement costs a round trip. The source names its columns
 * as the table does, in the same order, so `update set *` and `insert *` mean them.
 */
export async function writeRunState(db: Database, database: string, state: ModelState): Promise<void> {
  await db.run(
    `merge into ${stateTable(database)} as saved
     using (select $1 as unique_id, $2 as relation, $3 as materialized, cast($4 as varchar) as watermark,
                   $5 as sql_fingerprint, $6 as config_fingerprint, cast($7 as timestamp) as built_at,
                   cast($8 as timestamp) as last_full_refresh_at) as latest
        on saved.unique_id = latest.unique_id
      when matched then update set *
      when not matched then insert *`,
    [
      state.uniqueId,
      state.relation,
      state.materialized,
      state.watermark,
      state.sqlFingerprint,
      state.configFingerprint,
      naiveUtc(state.builtAt),
      state.lastFullRefreshAt === null ? null : naiveUtc(state.lastFullRefreshAt),
    ],
  );
}

/**
 * A UTC ISO time as DuckDB's TIMESTAMP text (no zone): casting text with a zone to
 * TIMESTAMP would depend on the session's time zone.
 *
 * @example
 * naiveUtc('2024-03-05T10:00:00.000Z') // → '2024-03-05 10:00:00.000'
 */
export function naiveUtc(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new Error(`naiveUtc: "${iso}" is not a time.`);
  return time.toISOString().replace('T', ' ').replace('Z', '');
}

/** sha256 hex of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Config keys that do not change what a model builds (where it lives, how it is
 * documented), left out of the fingerprint like dbt's `same_config` leaves out alias,
 * schema, database, tags and group.
 */
const configKeysNotFingerprinted = new Set([
  'alias',
  'schema',
  'database',
  'tags',
  'group',
  'meta',
  'docs',
  'persist_docs',
  'full_refresh',
  'enabled',
]);

/** sha256 over the model's config, keys sorted, the keys above left out. */
export function configFingerprint(node: ManifestNode): string {
  const kept = Object.fromEntries(
    Object.entries(node.config).filter(([key, value]) => !configKeysNotFingerprinted.has(key) && value !== undefined),
  );
  return sha256(stableJson(kept));
}

/** JSON with object keys sorted at every level, so equal configs give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
