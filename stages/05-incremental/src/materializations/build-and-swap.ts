import type { Relation } from '../manifest/types.ts';
import type { NodeSession } from '../run/node-session.ts';
import { type RelationKind, relationKinds, relationSql, renameSql, siblingRelation } from '../run/relations.ts';

/** The intermediate relation a model is built into before the swap: `<alias>__dbt_tmp` beside it. */
export function intermediateRelation(target: Relation): Relation {
  return siblingRelation(target, `${target.identifier}__dbt_tmp`);
}

/**
 * dbt's build-and-swap, for the caller's open transaction: create the new version as
 * `<alias>__dbt_tmp`, drop the old relation (table or view, whichever it is), rename the
 * new one into place. Until the transaction commits nobody sees any of it, and a failure
 * anywhere rolls back to the previous version, exactly.
 *
 * `beforeSwap` runs on the built intermediate (checks that must pass before it replaces
 * the old version). Returns the rows created (null for a view).
 *
 * @example
 * await session.transaction(() => buildAndSwap(session, node.relation, 'table', 'select 1 as id'));
 */
export async function buildAndSwap(
  session: NodeSession,
  target: Relation,
  kind: RelationKind,
  selectSql: string,
  beforeSwap?: (intermediate: Relation) => Promise<void>,
): Promise<number | null> {
  const intermediate = intermediateRelation(target);
  // One look at the catalog for both: a leftover intermediate and the old version, each a
  // table or a view (DuckDB's `drop table` refuses a view and the other way round).
  const [leftover, old] = await relationKinds(session.db, [intermediate, target]);
  if (leftover) await session.execute(`drop ${leftover} if exists ${relationSql(intermediate)}`);
  const created = await session.execute(`create ${kind} ${relationSql(intermediate)} as (\n${selectSql}\n)`);
  await beforeSwap?.(intermediate);
  if (old) await session.execute(`drop ${old} if exists ${relationSql(target)}`);
  await session.execute(renameSql(kind, intermediate, target.identifier));
  return kind === 'view' ? null : created;
}

/**
 * Compiled SQL ready to wrap in `create … as (…)`: surrounding blank space and trailing
 * semicolons removed (a `;` inside the parentheses would be a syntax error).
 *
 * @example
 * selectBody('select 1;\n') // → 'select 1'
 */
export function selectBody(sql: string): string {
  return sql.trim().replace(/(\s*;)+$/, '');
}
