import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario, ScenarioContext, Side } from './scenario.ts';
import { type ScenarioResult, summarise } from './scenario-result.ts';
import type { SideRun } from './side-run.ts';
import { spawnSide } from './spawn-side.ts';

export interface MeasureOptions {
  rows: number;
  repeat: number;
  /** Progress lines; they go to stderr so stdout carries only the results. */
  onProgress: (message: string) => void;
}

/** One thing to run each round: a side, and for ours the variant (see Scenario.variants). */
interface Entry {
  side: Side;
  variant: string | undefined;
}

/**
 * Prepares a scenario once, then runs each side `repeat` times in fresh child processes,
 * each run in its own empty folder. Everything lives in one temporary folder under the
 * system's temp dir, deleted at the end whatever happens. One result per variant of ours
 * (one result without variants), all against the same baseline runs.
 */
export async function measureScenario(scenario: Scenario, options: MeasureOptions): Promise<ScenarioResult[]> {
  const root = mkdtempSync(join(tmpdir(), `mart-bench-${scenario.name}-`));
  try {
    const inputDir = join(root, 'input');
    mkdirSync(inputDir);
    const context: ScenarioContext = { rows: options.rows, inputDir, runDir: '' };

    let prepareMs = 0;
    if (scenario.prepare) {
      options.onProgress(`${scenario.name}: preparing`);
      const started = performance.now();
      await scenario.prepare(context);
      prepareMs = performance.now() - started;
    }

    const variants: (string | undefined)[] = scenario.variants?.length ? [...scenario.variants] : [undefined];
    const present: Entry[] = [
      ...variants.map((variant) => ({ side: 'ours' as const, variant })),
      { side: 'baseline', variant: undefined },
      ...(scenario.floor ? [{ side: 'floor' as const, variant: undefined }] : []),
    ];
    const runs = new Map<Entry, SideRun[]>(present.map((entry) => [entry, []]));
    for (let round = 1; round <= options.repeat; round++) {
      // Rotate which side goes first, so none always profits from a warmer machine.
      const shift = (round - 1) % present.length;
      const order = [...present.slice(shift), ...present.slice(0, shift)];
      for (const entry of order) {
        const what = entry.variant === undefined ? entry.side : `${entry.side} (${entry.variant})`;
        options.onProgress(`${scenario.name}: ${what} run ${round}/${options.repeat}`);
        const runDir = mkdtempSync(join(root, `${entry.side}-`));
        try {
          runs.get(entry)?.push(await spawnSide(scenario.name, entry.side, { ...context, runDir }, entry.variant));
        } finally {
          rmSync(runDir, { recursive: true, force: true });
        }
      }
    }
    const of = (side: Side) => present.filter((entry) => entry.side === side).flatMap((entry) => runs.get(entry) ?? []);
    return present
      .filter((entry) => entry.side === 'ours')
      .map((entry) =>
        summarise(
          scenario,
          prepareMs,
          { ours: runs.get(entry) ?? [], baseline: of('baseline'), floor: of('floor') },
          entry.variant,
        ),
      );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
