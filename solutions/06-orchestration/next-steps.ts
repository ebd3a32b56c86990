import type { NextSteps, NextStepsOptions, SkippedStep } from '@mart/stage-06-orchestration/given';

/**
 * Exercise: Topological execution with failure propagation.
 *
 * `pnpm stage 6 materialize` runs a graph of steps (one per asset, or one for several
 * assets built together). A step may start only when everything it is built from has
 * been built; several may run at once, up to `--concurrency`. When a step fails, what is
 * built from it can never run: it is skipped, and the run says why. The executor calls
 * this function every time it could start work (at the start, and whenever a step ends)
 * and does what it returns.
 *
 * Return:
 * - `skip`: every `'pending'` step that can never run, because one of its `deps` has
 *   `'failed'`, has been `'skipped'`, or is in `blocked` (it succeeded, but a blocking
 *   check on it failed). Skipping is transitive within ONE call: a step you skip now
 *   stops the steps built from it too, so after a failure everything downstream is in
 *   the same answer. Each skipped step says `because`: the upstream step that failed or
 *   was blocked (for a step behind another skipped one, that one's `because`; for a dep
 *   that was already `'skipped'` when you were called, that dep itself). When several
 *   upstream steps stopped it, the smallest key (plain string order).
 * - `start`: the `'pending'` steps whose deps have all `'succeeded'` and none is in
 *   `blocked`, at most `concurrency − running` of them (none when that is 0 or less).
 * Both lists follow the order of `graph`. A dep that is not a key of `graph` is ignored:
 * it is not part of this run (already built, or an external asset). Steps that are
 * `'running'`, `'succeeded'`, `'failed'` or `'skipped'` appear in neither list.
 *
 * Plain TypeScript, no I/O: the executor records what happens, you only decide.
 *
 * @example
 * nextSteps({
 *   graph: [
 *     { key: 'dbt/stg_sales', deps: [] },
 *     { key: 'dbt/stg_stores', deps: [] },
 *     { key: 'dbt/fct_sales', deps: ['dbt/stg_sales', 'dbt/stg_stores'] },
 *     { key: 'dbt/daily_revenue', deps: ['dbt/fct_sales'] },
 *   ],
 *   status: { 'dbt/stg_sales': 'failed', 'dbt/stg_stores': 'pending', 'dbt/fct_sales': 'pending',
 *     'dbt/daily_revenue': 'pending' },
 *   blocked: [], running: 0, concurrency: 4,
 * })
 * // → { start: ['dbt/stg_stores'],
 * //     skip: [{ key: 'dbt/fct_sales', because: 'dbt/stg_sales' },
 * //            { key: 'dbt/daily_revenue', because: 'dbt/stg_sales' }] }
 */
export function nextSteps(options: NextStepsOptions): NextSteps {
  // #region solution
  const { graph, status } = options;
  const keys = new Set(graph.map((node) => node.key));
  const blocked = new Set(options.blocked);
  const depsOf = new Map(graph.map((node) => [node.key, node.deps.filter((dep) => keys.has(dep))]));
  // For each pending step: the root cause that stops it, or null when nothing does.
  const stoppedBy = new Map<string, string | null>();
  const rootCause = (dep: string): string | null => {
    const state = status[dep];
    if (state === 'failed' || state === 'skipped' || blocked.has(dep)) return dep;
    return state === 'pending' ? causeOf(dep) : null;
  };
  const causeOf = (key: string): string | null => {
    const known = stoppedBy.get(key);
    if (known !== undefined) return known;
    const causes = (depsOf.get(key) ?? []).map(rootCause).filter((cause): cause is string => cause !== null);
    const cause = causes.length > 0 ? causes.sort()[0] : null;
    stoppedBy.set(key, cause ?? null);
    return cause ?? null;
  };

  const skip: SkippedStep[] = [];
  const ready: string[] = [];
  for (const node of graph) {
    if (status[node.key] !== 'pending') continue;
    const cause = causeOf(node.key);
    if (cause !== null) skip.push({ key: node.key, because: cause });
    else if ((depsOf.get(node.key) ?? []).every((dep) => status[dep] === 'succeeded')) ready.push(node.key);
  }
  const free = Math.max(0, options.concurrency - options.running);
  return { start: ready.slice(0, free), skip };
  // #endregion
}
