import { quoteIdentifier } from '@mart/shared';
import type { Relation } from '../manifest/types.ts';
import { NodeError } from '../run/node-error.ts';
import type { NodeSession } from '../run/node-session.ts';
import { type CatalogColumn, relationColumns, relationSql } from '../run/relations.ts';
import type { SchemaChangeMode } from './incremental-config.ts';

/** How the new rows' columns differ from the table's. */
export interface SchemaChanges {
  sourceNotInTarget: CatalogColumn[];
  targetNotInSource: CatalogColumn[];
  /** Columns in both whose type differs: the new rows' type. */
  newTypes: Array<{ name: string; from: string; to: string }>;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Compares columns by name (case-insensitively, as DuckDB does) and type. */
export function compareColumns(source: readonly CatalogColumn[], target: readonly CatalogColumn[]): SchemaChanges {
  return {
    sourceNotInTarget: source.filter((s) => !target.some((t) => same(s.name, t.name))),
    targetNotInSource: target.filter((t) => !source.some((s) => same(s.name, t.name))),
    newTypes: source.flatMap((s) => {
      const t = target.find((c) => same(c.name, s.name));
      return t && t.type !== s.type ? [{ name: t.name, from: t.type, to: s.type }] : [];
    }),
  };
}

/**
 * dbt's `on_schema_change` (§4.5), for an incremental run whose new rows sit in `temp`:
 * - ignore: write the table's columns (new columns are dropped; a column the model no
 *   longer returns makes the insert fail, as in dbt);
 * - fail: stop with dbt's "out of sync" error;
 * - append_new_columns: add the new columns, never drop;
 * - sync_all_columns: add new, drop removed, change changed types.
 * Returns the columns to write, in the table's order. Runs in the caller's transaction.
 */
export async function applySchemaChange(
  session: NodeSession,
  target: Relation,
  temp: Relation,
  mode: SchemaChangeMode,
): Promise<{ columns: string[]; changes: SchemaChanges }> {
  const source = await relationColumns(session.db, temp);
  const targetColumns = await relationColumns(session.db, target);
  const changes = compareColumns(source, targetColumns);
  const changed = changes.sourceNotInTarget.length + changes.targetNotInSource.length + changes.newTypes.length > 0;
  if (!changed || mode === 'ignore') return { columns: targetColumns.map((c) => c.name), changes };
  if (mode === 'fail') throw outOfSync(changes);

  const table = relationSql(target);
  // Types come from DuckDB's own catalog (the temporary table's columns), not from input.
  for (const column of changes.sourceNotInTarget) {
    await session.execute(`alter table ${table} add column ${quoteIdentifier(column.name)} ${column.type}`);
  }
  if (mode === 'sync_all_columns') {
    for (const column of changes.targetNotInSource) {
      await session.execute(`alter table ${table} drop column ${quoteIdentifier(column.name)}`);
    }
    for (const column of changes.newTypes) {
      await session.execute(`alter table ${table} alter column ${quoteIdentifier(column.name)} type ${column.to}`);
    }
  }
  const after = await relationColumns(session.db, target);
  return { columns: after.filter((t) => source.some((s) => same(s.name, t.name))).map((c) => c.name), changes };
}

/** dbt's message for `on_schema_change: fail`. */
function outOfSync(changes: SchemaChanges): NodeError {
  const names = (columns: CatalogColumn[]) => `[${columns.map((c) => `'${c.name}'`).join(', ')}]`;
  const types = `[${changes.newTypes.map((c) => `'${c.name}': ${c.from} → ${c.to}`).join(', ')}]`;
  return new NodeError(
    'Compilation',
    [
      'The source and target schemas on this incremental model are out of sync!',
      '  They can be reconciled in several ways:',
      '    - set the `on_schema_change` config to either append_new_columns or sync_all_columns, depending on your situation.',
      '    - Re-run the incremental model with `full_refresh: True` to update the target schema.',
      '    - update the schema manually and re-run the process.',
      '',
      '  Additional troubleshooting context:',
      `     Source columns not in target: ${names(changes.sourceNotInTarget)}`,
      `     Target columns not in source: ${names(changes.targetNotInSource)}`,
      `     New column types: ${types}`,
    ].join('\n'),
    { hint: 'Or rebuild it from scratch with --full-refresh.' },
  );
}
