import { quoteIdentifier } from '@mart/shared';
import { scdIdSql, snapshotMetaColumns, timestampLiteral } from '../given/snapshot-sql.ts';
import { selectBody } from '../materializations/build-and-swap.ts';
import { assertUniqueKeys, resolveKeyColumns } from '../materializations/unique-key-check.ts';
import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { NodeError } from '../run/node-error.ts';
import { type CatalogColumn, relationColumns, relationKind, relationSql, tempRelation } from '../run/relations.ts';
import { type SnapshotConfig, snapshotConfig } from './snapshot-config.ts';

/**
 * The column `hard_deletes: new_record` adds. Like dbt, the strings 'True' / 'False'
 * (not a boolean), so queries written for dbt's snapshots (`where dbt_is_deleted =
 * 'True'`) work unchanged. It has DEFAULT 'False', so every insert that does not name it
 * (the check piece's) writes a live version.
 */
export const isDeletedColumn = 'dbt_is_deleted';

/**
 * `dbt snapshot` for one snapshot (SCD2, §5), in one transaction. The first run creates
 * the table: the source's columns plus dbt_scd_id, dbt_updated_at, dbt_valid_from,
 * dbt_valid_to. Later runs stage the source rows in a temporary table, refuse NULL or
 * duplicate unique_key values (dbt would silently give an entity two current
 * versions), add columns the source gained, then apply the strategy: `check` with the
 * snapshotCheckSql piece, `timestamp` here (a row changed when its updated_at is after
 * the current version's dbt_valid_from); then hard deletes. Re-running on the same
 * source changes nothing.
 */
export async function runSnapshot(ctx: NodeContext): Promise<NodeOutcome> {
  const { node, session } = ctx;
  const config = snapshotConfig(node);
  const sql = selectBody(ctx.compile({ isIncremental: false }).sql);
  const target = node.relation;
  const targetSql = relationSql(target);
  const existing = await relationKind(session.db, target);
  if (existing === 'view') {
    throw new NodeError('Compilation', `The snapshot's target ${targetSql} is a view, not a snapshot table.`, {
      hint: 'Drop the view or give the snapshot another name.',
    });
  }
  const now = timestampLiteral(ctx.now);
  const temp = tempRelation(`${target.identifier}__dbt_snapshot_src`);
  const tempSql = relationSql(temp);

  const changed = await session.transaction(async () => {
    await session.execute(`drop table if exists ${tempSql}`);
    await session.execute(`create temporary table ${tempSql} as (\n${sql}\n)`);
    const sourceColumns = await relationColumns(session.db, temp);
    const clash = sourceColumns.find((c) =>
      [...snapshotMetaColumns, isDeletedColumn].includes(c.name.toLowerCase() as never),
    );
    if (clash) {
      throw new NodeError(
        'Compilation',
        `The snapshot's query returns a column named ${clash.name}, which the snapshot adds itself.`,
        {
          hint: 'Leave it out of the select (or rename it).',
        },
      );
    }
    const keys = resolveKeyColumns(node, config.uniqueKey, sourceColumns);
    await assertUniqueKeys(session, node, tempSql, keys, {
      allowDuplicates: false,
      rows: "the snapshot's source rows",
      consequence: 'dbt would give such an entity several current versions (with colliding dbt_scd_id values).',
    });
    const updatedAt = config.strategy === 'timestamp' ? sourceColumn(node.name, sourceColumns, config.updatedAt) : null;
    const checkCols =
      config.strategy === 'check'
        ? config.checkCols === 'all'
          ? sourceColumns.map((c) => c.name)
          : config.checkCols.map((c) => sourceColumn(node.name, sourceColumns, c))
        : [];
    const u = updatedAt === null ? now : `s.${quoteIdentifier(updatedAt)}`;

    let rows: number;
    if (existing === null) {
      rows =
        (await session.execute(
          `create table ${targetSql} as (
  select s.*,
         ${scdIdSql(keys, u, 's')} as dbt_scd_id,
         ${u} as dbt_updated_at,
         ${u} as dbt_valid_from,
         nullif(${u}, ${u}) as dbt_valid_to
    from ${tempSql} as s
)`,
        )) ?? 0;
      if (config.hardDeletes === 'new_record') await addIsDeleted(ctx, targetSql);
    } else {
      rows = await applyStep(ctx, config, { targetSql, tempSql, keys, sourceColumns, updatedAt, checkCols, now });
    }
    await session.execute(`drop table ${tempSql}`);
    return rows;
  });

  return {
    status: 'success',
    message: 'OK',
    rowsAffected: changed,
    adapterResponse: { _message: 'OK', rows_affected: changed },
    compiled: true,
    compiledCode: sql,
    relationName: targetSql,
  };
}

interface StepInput {
  targetSql: string;
  tempSql: string;
  keys: string[];
  sourceColumns: CatalogColumn[];
  /** timestamp strategy: the source's updated_at column; null for check. */
  updatedAt: string | null;
  /** check strategy: the columns compared (`all` resolved to every source column). */
  checkCols: string[];
  now: string;
}

/** One snapshot step on an existing snapshot table. Returns the rows it inserted or closed. */
async function applyStep(ctx: NodeContext, config: SnapshotConfig, input: StepInput): Promise<number> {
  const { session, node, pieces } = ctx;
  const { targetSql, tempSql, keys, sourceColumns, now } = input;
  const targetColumns = await relationColumns(session.db, node.relation);
  const has = (name: string) => targetColumns.some((c) => c.name.toLowerCase() === name);
  const missingMeta = snapshotMetaColumns.filter((name) => !has(name));
  if (missingMeta.length > 0) {
    throw new NodeError(
      'Compilation',
      `${targetSql} is not a snapshot table: it has no ${missingMeta.join(', ')} column${missingMeta.length === 1 ? '' : 's'}.`,
      { hint: 'Drop it (or give the snapshot another name) and run the snapshot again.' },
    );
  }
  // dbt adds the columns the source gained (existing versions get NULL there).
  for (const column of sourceColumns) {
    if (!has(column.name.toLowerCase())) {
      await session.execute(`alter table ${targetSql} add column ${quoteIdentifier(column.name)} ${column.type}`);
    }
  }
  const newRecord = config.hardDeletes === 'new_record';
  if (newRecord && !has(isDeletedColumn)) await addIsDeleted(ctx, targetSql);

  const sameKey = (a: string, b: string) =>
    keys.map((key) => `${a}.${quoteIdentifier(key)} = ${b}.${quoteIdentifier(key)}`).join(' and ');
  const u = input.updatedAt === null ? now : `s.${quoteIdentifier(input.updatedAt)}`;
  let changed = 0;

  if (newRecord || has(isDeletedColumn)) {
    // An entity that comes back after a deletion record: close that record, so the
    // strategy below adds a new live version (dbt: `or dbt_is_deleted = 'True'`).
    changed +=
      (await session.execute(
        `update ${targetSql} as t set dbt_valid_to = ${u}
  from ${tempSql} as s
 where ${sameKey('t', 's')} and t.dbt_valid_to is null and t.${isDeletedColumn} = 'True'`,
      )) ?? 0;
  }

  const columns = sourceColumns.map((c) => c.name);
  if (config.strategy === 'check') {
    changed += await session.executePiece(
      'snapshotCheckSql',
      pieces.snapshotCheckSql({
        snapshot: targetSql,
        source: tempSql,
        uniqueKey: keys,
        checkCols: input.checkCols,
        columns,
        now,
      }),
    );
  } else {
    for (const statement of timestampStrategySql({ ...input, columns }))
      changed += (await session.execute(statement)) ?? 0;
  }

  if (config.hardDeletes !== 'ignore') {
    const gone = `t.dbt_valid_to is null and not exists (select 1 from ${tempSql} as s where ${sameKey('s', 't')})`;
    const live = has(isDeletedColumn) || newRecord ? ` and t.${isDeletedColumn} is distinct from 'True'` : '';
    if (newRecord) {
      // The deletion record: the last version's data, flagged, current from now.
      const data = (await relationColumns(session.db, node.relation))
        .map((c) => c.name)
        .filter((name) => ![...snapshotMetaColumns, isDeletedColumn].includes(name.toLowerCase() as never));
      const list = data.map(quoteIdentifier);
      changed +=
        (await session.execute(
          `insert into ${targetSql} (${[...list, ...snapshotMetaColumns.map(quoteIdentifier), quoteIdentifier(isDeletedColumn)].join(', ')})
select ${list.map((c) => `t.${c}`).join(', ')},
       md5(coalesce(cast(t.dbt_scd_id as varchar), '') || '|' || coalesce(cast(${now} as varchar), '')),
       ${now}, ${now}, null, 'True'
  from ${targetSql} as t
 where ${gone}${live}`,
        )) ?? 0;
    }
    changed += (await session.execute(`update ${targetSql} as t set dbt_valid_to = ${now} where ${gone}${live}`)) ?? 0;
  }
  return changed;
}

/**
 * The timestamp strategy's step: close the current version of every entity whose
 * source row has a later updated_at (dbt_valid_to = that updated_at), then insert a new
 * current version for every source row without one (new entities and those just
 * closed), valid from its updated_at.
 */
export function timestampStrategySql(input: StepInput & { columns: string[] }): string[] {
  const { targetSql, tempSql, keys, columns } = input;
  const u = `s.${quoteIdentifier(input.updatedAt ?? '')}`;
  const sameKey = (a: string, b: string) =>
    keys.map((key) => `${a}.${quoteIdentifier(key)} = ${b}.${quoteIdentifier(key)}`).join(' and ');
  return [
    `update ${targetSql} as t set dbt_valid_to = ${u}
  from ${tempSql} as s
 where ${sameKey('t', 's')} and t.dbt_valid_to is null and t.dbt_valid_from < ${u}`,
    `insert into ${targetSql} (${[...columns, ...snapshotMetaColumns].map(quoteIdentifier).join(', ')})
select ${columns.map((c) => `s.${quoteIdentifier(c)}`).join(', ')},
       ${scdIdSql(keys, u, 's')}, ${u}, ${u}, null
  from ${tempSql} as s
 where not exists (select 1 from ${targetSql} as t where ${sameKey('t', 's')} and t.dbt_valid_to is null)`,
  ];
}

async function addIsDeleted(ctx: NodeContext, targetSql: string): Promise<void> {
  await ctx.session.execute(
    `alter table ${targetSql} add column ${quoteIdentifier(isDeletedColumn)} varchar default 'False'`,
  );
}

/** A configured column (updated_at, check_cols) as the source spells it; an error when it is not there. */
function sourceColumn(snapshot: string, columns: CatalogColumn[], name: string | null): string {
  const found = columns.find((c) => c.name.toLowerCase() === String(name).toLowerCase());
  if (!found) {
    throw new NodeError(
      'Compilation',
      `Snapshot ${snapshot}: '${String(name)}' is not a column of its query (its columns: ${columns.map((c) => c.name).join(', ')}).`,
    );
  }
  return found.name;
}
