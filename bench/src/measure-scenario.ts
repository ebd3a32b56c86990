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

/**
 * Prepares a scenario once, then runs each side `repeat` times in fresh child processes,
 * each run in its own empty folder. Everything lives in one temporary folder under the
 * system's temp dir, deleted at the end whatever happens.
 */
export async function measureScenario(scenario: Scenario, options: MeasureOptions): Promise<ScenarioResult> {
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

    const runs: Record<Side, SideRun[]> = { ours: [], baseline: [], floor: [] };
    const present: Side[] = scenario.floor ? ['ours', 'baseline', 'floor'] : ['ours', 'baseline'];
    for (let round = 1; round <= options.repeat; round++) {
      // Rotate which side goes first, so none always profits from a warmer machine.
      const shift = (round - 1) % present.length;
      const order: Side[] = [...present.slice(shift), ...present.slice(0, shift)];
      for (const side of order) {
        options.onProgress(`${scenario.name}: ${side} run ${round}/${options.repeat}`);
        const runDir = mkdtempSync(join(root, `${side}-`));
        try {
          runs[side].push(await spawnSide(scenario.name, side, { ...context, runDir }));
        } finally {
          rmSync(runDir, { recursive: true, force: true });
        }
      }
    }
    return summarise(scenario, prepareMs, runs);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
