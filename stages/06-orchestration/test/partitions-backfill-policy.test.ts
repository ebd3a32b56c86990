import { describe, expect, test } from 'vitest';
import { addDays } from '../src/given/partition-keys.ts';
import { backfillPolicy, planBackfillRuns, resolveBackfillPolicy } from '../src/partitions/backfill-policy.ts';

const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDays(from, i));
const sizes = (runs: { partitionKeys: string[] }[]) => runs.map((run) => run.partitionKeys.length);

describe('planBackfillRuns', () => {
  test('single_run: the whole unbroken range in one run, with its range', () => {
    expect(planBackfillRuns(days('2024-03-01', 30), backfillPolicy.singleRun())).toEqual([
      { partitionKeys: days('2024-03-01', 30), range: { start: '2024-03-01', end: '2024-03-30' } },
    ]);
  });

  test('single_run: a gap starts a new run (a range has no holes)', () => {
    const runs = planBackfillRuns(
      ['2024-03-01', '2024-03-02', '2024-03-05', '2024-03-06', '2024-03-07'],
      backfillPolicy.singleRun(),
    );
    expect(runs.map((run) => run.range)).toEqual([
      { start: '2024-03-01', end: '2024-03-02' },
      { start: '2024-03-05', end: '2024-03-07' },
    ]);
  });

  test("multi_run: Dagster's example, 100 partitions with max 10 → 10 runs, with max 11 → 9×11 + 1", () => {
    expect(sizes(planBackfillRuns(days('2024-01-01', 100), backfillPolicy.multiRun(10)))).toEqual(Array(10).fill(10));
    expect(sizes(planBackfillRuns(days('2024-01-01', 100), backfillPolicy.multiRun(11)))).toEqual([
      ...Array(9).fill(11),
      1,
    ]);
  });

  test('multi_run cuts each unbroken stretch separately', () => {
    const keys = [...days('2024-03-01', 5), ...days('2024-03-10', 2)];
    expect(planBackfillRuns(keys, backfillPolicy.multiRun(3)).map((run) => run.range)).toEqual([
      { start: '2024-03-01', end: '2024-03-03' },
      { start: '2024-03-04', end: '2024-03-05' },
      { start: '2024-03-10', end: '2024-03-11' },
    ]);
  });

  test('no policy: one run per partition; keys are sorted and counted once; none → no runs', () => {
    expect(sizes(planBackfillRuns(['2024-03-02', '2024-03-01', '2024-03-02'], undefined))).toEqual([1, 1]);
    expect(planBackfillRuns(['2024-03-02', '2024-03-01'], undefined)[0]?.range).toEqual({
      start: '2024-03-01',
      end: '2024-03-01',
    });
    expect(planBackfillRuns([], backfillPolicy.singleRun())).toEqual([]);
  });

  test('multiRun refuses a size that is not a whole number ≥ 1', () => {
    expect(() => backfillPolicy.multiRun(0)).toThrow(/≥ 1/);
    expect(() => backfillPolicy.multiRun(2.5)).toThrow(/≥ 1/);
  });
});

describe('resolveBackfillPolicy: the fewest partitions per run wins', () => {
  test.each([
    [[backfillPolicy.singleRun(), backfillPolicy.multiRun(7)], backfillPolicy.multiRun(7)],
    [[backfillPolicy.multiRun(3), backfillPolicy.multiRun(7)], backfillPolicy.multiRun(3)],
    [[backfillPolicy.singleRun(), backfillPolicy.singleRun()], backfillPolicy.singleRun()],
    [[backfillPolicy.singleRun(), undefined], undefined],
    [[], undefined],
  ])('%j → %j', (policies, expected) => {
    expect(resolveBackfillPolicy(policies)).toEqual(expected);
  });
});
