import type { NextSteps, StepNode, StepState } from '@mart/stage-06-orchestration/given';
import { nextSteps } from '@mart/track/06-orchestration';
import { describe, expect, test } from 'vitest';

/**
 * A run of the course's shape:
 *
 *   lake_ingest ──> lake_build ──┬─> dbt/stg_sales ──┬─> dbt/fct_sales ──┬─> dbt/daily_revenue
 *                                ├─> dbt/stg_stores ─┘                   └─> dbt/monthly
 *                                └─> dbt/stg_customers ──> dbt/segments
 *   dbt/region_targets (a seed, no deps)
 */
const graph: StepNode[] = [
  { key: 'lake_ingest', deps: [] },
  { key: 'dbt/region_targets', deps: [] },
  { key: 'lake_build', deps: ['lake_ingest'] },
  { key: 'dbt/stg_customers', deps: ['lake_build'] },
  { key: 'dbt/stg_sales', deps: ['lake_build'] },
  { key: 'dbt/stg_stores', deps: ['lake_build'] },
  { key: 'dbt/fct_sales', deps: ['dbt/stg_sales', 'dbt/stg_stores'] },
  { key: 'dbt/segments', deps: ['dbt/stg_customers'] },
  { key: 'dbt/daily_revenue', deps: ['dbt/fct_sales'] },
  { key: 'dbt/monthly', deps: ['dbt/fct_sales', 'dbt/region_targets'] },
];

/** Every step pending, then the given states. */
function statusOf(states: Record<string, StepState> = {}): Record<string, StepState> {
  return { ...Object.fromEntries(graph.map((node): [string, StepState] => [node.key, 'pending'])), ...states };
}

function next(
  states: Record<string, StepState>,
  options: { blocked?: string[]; running?: number; concurrency?: number; steps?: StepNode[] } = {},
): NextSteps {
  const steps = options.steps ?? graph;
  const running = options.running ?? Object.values(states).filter((state) => state === 'running').length;
  return nextSteps({
    graph: steps,
    status: options.steps ? states : statusOf(states),
    blocked: options.blocked ?? [],
    running,
    concurrency: options.concurrency ?? 4,
  });
}

describe('next-steps', () => {
  test('at the start: the steps with nothing upstream, in graph order', () => {
    expect(next({})).toEqual({ start: ['lake_ingest', 'dbt/region_targets'], skip: [] });
  });

  test('a step starts only once every dep has succeeded', () => {
    const states = statusOf({
      lake_ingest: 'succeeded',
      'dbt/region_targets': 'succeeded',
      lake_build: 'succeeded',
      'dbt/stg_sales': 'succeeded',
      'dbt/stg_stores': 'running',
      'dbt/stg_customers': 'succeeded',
    });
    // fct_sales still waits for stg_stores; monthly waits for fct_sales.
    expect(next(states)).toEqual({ start: ['dbt/segments'], skip: [] });
    expect(next({ ...states, 'dbt/stg_stores': 'succeeded' })).toEqual({
      start: ['dbt/fct_sales', 'dbt/segments'],
      skip: [],
    });
  });

  test('never more than concurrency − running, the first ready ones in graph order', () => {
    const built = { lake_ingest: 'succeeded', 'dbt/region_targets': 'succeeded', lake_build: 'succeeded' } as const;
    expect(next(built, { concurrency: 2 }).start).toEqual(['dbt/stg_customers', 'dbt/stg_sales']);
    expect(next(built, { concurrency: 4 }).start).toEqual(['dbt/stg_customers', 'dbt/stg_sales', 'dbt/stg_stores']);
    expect(next({ ...built, 'dbt/stg_customers': 'running' }, { concurrency: 2 }).start).toEqual(['dbt/stg_sales']);
    expect(next({ ...built, 'dbt/stg_customers': 'running' }, { concurrency: 1 }).start).toEqual([]);
    // More running than allowed (the limit was lowered): nothing starts, nothing breaks.
    expect(next({}, { running: 3, concurrency: 2 }).start).toEqual([]);
  });

  test('a failure skips everything downstream in one answer, each naming the failed step', () => {
    const result = next({ lake_ingest: 'succeeded', 'dbt/region_targets': 'succeeded', lake_build: 'failed' });
    expect(result.start).toEqual([]);
    expect(result.skip).toEqual([
      { key: 'dbt/stg_customers', because: 'lake_build' },
      { key: 'dbt/stg_sales', because: 'lake_build' },
      { key: 'dbt/stg_stores', because: 'lake_build' },
      { key: 'dbt/fct_sales', because: 'lake_build' },
      { key: 'dbt/segments', because: 'lake_build' },
      { key: 'dbt/daily_revenue', because: 'lake_build' },
      { key: 'dbt/monthly', because: 'lake_build' },
    ]);
  });

  test('a failure stops only its own downstream: the rest still starts', () => {
    const result = next({
      lake_ingest: 'succeeded',
      'dbt/region_targets': 'succeeded',
      lake_build: 'succeeded',
      'dbt/stg_sales': 'failed',
      'dbt/stg_stores': 'succeeded',
      'dbt/stg_customers': 'succeeded',
    });
    expect(result).toEqual({
      start: ['dbt/segments'],
      skip: [
        { key: 'dbt/fct_sales', because: 'dbt/stg_sales' },
        { key: 'dbt/daily_revenue', because: 'dbt/stg_sales' },
        { key: 'dbt/monthly', because: 'dbt/stg_sales' },
      ],
    });
  });

  test('a blocked step (its blocking check failed) stops its downstream although it succeeded', () => {
    const states = {
      lake_ingest: 'succeeded',
      'dbt/region_targets': 'succeeded',
      lake_build: 'succeeded',
      'dbt/stg_sales': 'succeeded',
      'dbt/stg_stores': 'succeeded',
      'dbt/stg_customers': 'succeeded',
      'dbt/segments': 'succeeded',
      'dbt/fct_sales': 'succeeded',
    } as const;
    expect(next(states, { blocked: ['dbt/fct_sales'] })).toEqual({
      start: [],
      skip: [
        { key: 'dbt/daily_revenue', because: 'dbt/fct_sales' },
        { key: 'dbt/monthly', because: 'dbt/fct_sales' },
      ],
    });
    // Not blocked: both start.
    expect(next(states).start).toEqual(['dbt/daily_revenue', 'dbt/monthly']);
  });

  test('two causes upstream: the smallest key; behind a skipped step, its cause', () => {
    const result = next({
      lake_ingest: 'succeeded',
      'dbt/region_targets': 'failed',
      lake_build: 'succeeded',
      'dbt/stg_sales': 'succeeded',
      'dbt/stg_stores': 'failed',
      'dbt/stg_customers': 'running',
    });
    expect(result).toEqual({
      start: [],
      skip: [
        { key: 'dbt/fct_sales', because: 'dbt/stg_stores' },
        { key: 'dbt/daily_revenue', because: 'dbt/stg_stores' },
        // monthly: region_targets failed, and fct_sales is skipped because of stg_stores.
        { key: 'dbt/monthly', because: 'dbt/region_targets' },
      ],
    });
  });

  test('a dep already skipped before this call is the cause itself', () => {
    const result = next({
      lake_ingest: 'succeeded',
      'dbt/region_targets': 'succeeded',
      lake_build: 'succeeded',
      'dbt/stg_sales': 'skipped',
      'dbt/stg_stores': 'succeeded',
      'dbt/stg_customers': 'succeeded',
      'dbt/segments': 'running',
    });
    expect(result.skip).toEqual([
      { key: 'dbt/fct_sales', because: 'dbt/stg_sales' },
      { key: 'dbt/daily_revenue', because: 'dbt/stg_sales' },
      { key: 'dbt/monthly', because: 'dbt/stg_sales' },
    ]);
    expect(result.start).toEqual([]);
  });

  test('steps that are not pending are never started or skipped again', () => {
    const result = next({
      lake_ingest: 'failed',
      'dbt/region_targets': 'running',
      lake_build: 'skipped',
      'dbt/stg_sales': 'skipped',
      'dbt/stg_stores': 'skipped',
      'dbt/stg_customers': 'skipped',
      'dbt/fct_sales': 'skipped',
      'dbt/segments': 'skipped',
      'dbt/daily_revenue': 'skipped',
    });
    expect(result).toEqual({ start: [], skip: [{ key: 'dbt/monthly', because: 'dbt/fct_sales' }] });
    const done = Object.fromEntries(graph.map((node): [string, StepState] => [node.key, 'succeeded']));
    expect(next(done)).toEqual({ start: [], skip: [] });
  });

  test('deps outside the run are ignored; the order is the graph’s, not the keys’', () => {
    const steps: StepNode[] = [
      { key: 'z_first', deps: ['raw/sales', 'lake/bronze/sales'] },
      { key: 'm_second', deps: [] },
      { key: 'a_third', deps: ['z_first', 'not_in_this_run'] },
      { key: 'b_fourth', deps: ['m_second'] },
    ];
    const pending = (): Record<string, StepState> => ({
      z_first: 'pending',
      m_second: 'pending',
      a_third: 'pending',
      b_fourth: 'pending',
    });
    expect(next(pending(), { steps }).start).toEqual(['z_first', 'm_second']);
    expect(next({ ...pending(), z_first: 'succeeded', m_second: 'succeeded' }, { steps }).start).toEqual([
      'a_third',
      'b_fourth',
    ]);
    expect(next({ ...pending(), z_first: 'failed', m_second: 'failed' }, { steps }).skip).toEqual([
      { key: 'a_third', because: 'z_first' },
      { key: 'b_fourth', because: 'm_second' },
    ]);
  });

  test('a long chain fails at its root: every link skipped, in one answer', () => {
    const steps: StepNode[] = Array.from({ length: 30 }, (_, i) => ({
      key: `step_${String(i).padStart(2, '0')}`,
      deps: i === 0 ? [] : [`step_${String(i - 1).padStart(2, '0')}`],
    }));
    const states: Record<string, StepState> = Object.fromEntries(
      steps.map((step, i): [string, StepState] => [step.key, i === 0 ? 'failed' : 'pending']),
    );
    const result = next(states, { steps });
    expect(result.start).toEqual([]);
    expect(result.skip).toHaveLength(29);
    expect(new Set(result.skip.map((skipped) => skipped.because))).toEqual(new Set(['step_00']));
    expect(result.skip.map((skipped) => skipped.key)).toEqual(steps.slice(1).map((step) => step.key));
  });
});
