import type { NodeContext } from '../run/node-context.ts';
import { relationSql } from '../run/relations.ts';
import { configFingerprint, type ModelState, sha256, writeRunState } from '../run/run-state.ts';
import { selectBody } from './build-and-swap.ts';

/** What a materialization tells the state table after building a model. */
export interface StateUpdate {
  /** Built from scratch this time (first build, full refresh, table, view). */
  fullBuild: boolean;
  /** SQL the model compiles to for a full build (fingerprinted). */
  fullBuildSql: string;
  watermark: string | null;
}

/**
 * Saves the model's state in the caller's open transaction, so it changes exactly when
 * the model does. An incremental run keeps the fingerprints of the last full build: that
 * is what "changed since its last full build" compares against.
 */
export async function saveModelState(
  ctx: NodeContext,
  update: StateUpdate,
  previous: ModelState | undefined,
): Promise<ModelState> {
  const now = ctx.now.toISOString();
  const keep = !update.fullBuild && previous !== undefined;
  const state: ModelState = {
    uniqueId: ctx.node.uniqueId,
    relation: relationSql(ctx.node.relation),
    materialized: ctx.node.config.materialized,
    watermark: update.watermark,
    sqlFingerprint: keep ? previous.sqlFingerprint : sha256(update.fullBuildSql),
    configFingerprint: keep ? previous.configFingerprint : configFingerprint(ctx.node),
    builtAt: now,
    lastFullRefreshAt: update.fullBuild ? now : (previous?.lastFullRefreshAt ?? null),
  };
  await writeRunState(ctx.session.db, ctx.project.target.database, state);
  return state;
}

/**
 * The warning for an incremental run of a model whose SQL or config changed since its
 * last full build: the rows built before still follow the old definition.
 */
export function changedSinceFullBuild(
  ctx: NodeContext,
  previous: ModelState | undefined,
  fullBuildSql: string | null,
): string | null {
  if (!previous || fullBuildSql === null) return null;
  const changed: string[] = [];
  if (sha256(fullBuildSql) !== previous.sqlFingerprint) changed.push('SQL');
  if (configFingerprint(ctx.node) !== previous.configFingerprint) changed.push('config');
  if (changed.length === 0) return null;
  const since = previous.lastFullRefreshAt
    ? ` (${previous.lastFullRefreshAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`
    : '';
  return [
    `Warning: the ${changed.join(' and ')} of ${ctx.node.name} changed since its last full build${since};`,
    'rows built before the change still follow the old definition.',
    `Rebuild it with --full-refresh (e.g. \`pnpm stage 5 run -s ${ctx.node.name} --full-refresh\`).`,
  ].join(' ');
}

/** The SQL of a full build, fingerprinted for "changed since the last full build"; null if it does not compile. */
export function fullBuildSql(ctx: NodeContext): string | null {
  try {
    return selectBody(ctx.compiler.compile(ctx.node, { isIncremental: false }).sql);
  } catch {
    return null;
  }
}
