import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import { runCourseCli } from './course-cli.ts';
import { concurrencyOf, concurrencyVariants } from './stage6-concurrency.ts';

/**
 * The commands the orchestrator replaces, one after the other on a fresh data folder.
 * Stage 6's graph is stage 4's ingest (the raw files, validated by stage 2's loader, into
 * bronze), stage 4's build (silver, gated by stage 3's checks, which become the silver
 * assets' checks, and gold) and one step per stage 5 node. On a fresh folder
 * `pnpm stage 4 build` lands the seeds itself, so two commands do the same work. Stage
 * 2's own build (its warehouse file) is not an asset, and so not here.
 */
const sequential: readonly (readonly string[])[] = [
  ['stage', '4', 'build'],
  ['stage', '5', 'build'],
];

/**
 * The whole pipeline through the orchestrator against the same stage commands run by
 * hand. Ours: `pnpm stage 6 materialize [--concurrency N]` (25 assets in 13 steps, the
 * run storage, OpenLineage events to a file). The baseline: `pnpm stage 4 build` then
 * `pnpm stage 5 build`. Both are real CLI processes on the committed seeds
 * (data/seeds/stage-02, 400 sale lines: `--rows` does not apply) in a fresh data folder
 * of their own, with the embedded S3 server, so each side's time includes its processes'
 * start-up: one for ours, two for the baseline. Target: ours ≤ the baseline (time ratio ≤ 1).
 */
export const stage6Pipeline: Scenario = {
  name: 'stage6-pipeline',
  description: 'pnpm stage 6 materialize on a fresh data folder vs pnpm stage 4 build then pnpm stage 5 build',
  variants: concurrencyVariants,
  async ours({ variant }) {
    const concurrency = concurrencyOf(variant);
    return async ({ runDir, report }) => {
      const run = await runCourseCli(['stage', '6', 'materialize', '--concurrency', String(concurrency)], {
        dataDir: join(runDir, 'data'),
        rssFile: join(runDir, 'peak-rss'),
      });
      report({ childMaxRssKib: run.peakRssKib });
    };
  },
  async baseline() {
    return async ({ runDir, report }) => {
      let peak = 0;
      for (const args of sequential) {
        const run = await runCourseCli(args, { dataDir: join(runDir, 'data'), rssFile: join(runDir, 'peak-rss') });
        peak = Math.max(peak, run.peakRssKib);
      }
      report({ childMaxRssKib: peak });
    };
  },
};
