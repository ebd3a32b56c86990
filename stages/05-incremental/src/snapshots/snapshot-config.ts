import type { ManifestNode } from '../manifest/types.ts';
import { keyList } from '../materializations/incremental-config.ts';
import { NodeError } from '../run/node-error.ts';

/** What happens to an entity that disappears from the snapshot's source. */
export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

/** A snapshot's config, checked with dbt's messages. */
export interface SnapshotConfig {
  strategy: 'timestamp' | 'check';
  uniqueKey: string[];
  /** timestamp strategy: the source column saying when a row last changed. */
  updatedAt: string | null;
  /** check strategy: the columns compared, or `all` (every source column). */
  checkCols: 'all' | string[];
  hardDeletes: HardDeletes;
}

const defaultMetaNames: Record<string, string> = {
  dbt_valid_to: 'dbt_valid_to',
  dbt_valid_from: 'dbt_valid_from',
  dbt_scd_id: 'dbt_scd_id',
  dbt_updated_at: 'dbt_updated_at',
  dbt_is_deleted: 'dbt_is_deleted',
};

/**
 * Reads `strategy`, `unique_key`, `updated_at`, `check_cols`, and `hard_deletes` or the
 * legacy `invalidate_hard_deletes: true` (= `hard_deletes: invalidate`; giving both with
 * different meanings is an error). Renamed meta columns and `dbt_valid_to_current` are
 * not supported and say so.
 */
export function snapshotConfig(node: ManifestNode): SnapshotConfig {
  const config = node.config;
  const uniqueKey = keyList(config.unique_key);
  const strategy = config.strategy;
  if ((strategy !== 'timestamp' && strategy !== 'check') || uniqueKey.length === 0) {
    if (strategy && strategy !== 'timestamp' && strategy !== 'check' && uniqueKey.length > 0) {
      throw new NodeError('Compilation', `The snapshot strategy '${String(strategy)}' is not supported.`, {
        hint: "Use strategy: 'timestamp' (with updated_at) or 'check' (with check_cols).",
      });
    }
    throw new NodeError('Compilation', "Snapshots must be configured with a 'strategy' and 'unique_key'.");
  }
  const updatedAt =
    typeof config.updated_at === 'string' && config.updated_at.trim() !== '' ? config.updated_at.trim() : null;
  if (strategy === 'timestamp' && updatedAt === null) {
    throw new NodeError(
      'Compilation',
      'A snapshot configured with the timestamp strategy must specify an updated_at configuration.',
    );
  }
  let checkCols: 'all' | string[] = 'all';
  if (strategy === 'check') {
    const cols = config.check_cols;
    if (cols === 'all') checkCols = 'all';
    else if (Array.isArray(cols) && cols.length > 0 && cols.every((c) => typeof c === 'string' && c.trim() !== '')) {
      checkCols = cols.map((c) => c.trim());
    } else {
      throw new NodeError(
        'Compilation',
        `Invalid value for 'check_cols': ${JSON.stringify(cols ?? null)}. Expected 'all' or a list of strings.`,
      );
    }
  }
  return { strategy, uniqueKey, updatedAt, checkCols, hardDeletes: hardDeletes(node), ...unsupported(node) };
}

function hardDeletes(node: ManifestNode): HardDeletes {
  const written = node.config.hard_deletes;
  const legacy = node.config.invalidate_hard_deletes === true;
  if (written === null || written === undefined) return legacy ? 'invalidate' : 'ignore';
  if (written !== 'ignore' && written !== 'invalidate' && written !== 'new_record') {
    throw new NodeError(
      'Compilation',
      `Invalid setting for property hard_deletes: ${String(written)}. Expected one of 'ignore', 'invalidate' or 'new_record'.`,
    );
  }
  if (legacy && written !== 'invalidate') {
    throw new NodeError(
      'Compilation',
      `The snapshot sets both invalidate_hard_deletes: true and hard_deletes: ${written}.`,
      {
        hint: 'Keep only hard_deletes (invalidate_hard_deletes: true is the old spelling of hard_deletes: invalidate).',
      },
    );
  }
  return written;
}

/** Configs dbt has that this runner refuses rather than silently ignores. */
function unsupported(node: ManifestNode): Record<string, never> {
  const names = node.config.snapshot_meta_column_names;
  if (names && typeof names === 'object') {
    for (const [key, value] of Object.entries(names as Record<string, unknown>)) {
      if (value !== null && value !== undefined && value !== defaultMetaNames[key]) {
        throw new NodeError('Compilation', `snapshot_meta_column_names (${key}: ${String(value)}) is not supported.`, {
          hint: 'Remove it: snapshots here use dbt’s default column names (dbt_scd_id, dbt_valid_from…).',
        });
      }
    }
  }
  const current = node.config.dbt_valid_to_current;
  if (current !== null && current !== undefined) {
    throw new NodeError('Compilation', 'dbt_valid_to_current is not supported.', {
      hint: 'Remove it: current versions have dbt_valid_to NULL.',
    });
  }
  return {};
}
