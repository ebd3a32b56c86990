import { log } from '@clack/prompts';
import { defineCommand, renderTable, writeLine } from '@mart/shared';
import { assetStatuses } from '../assets/asset-status.ts';
import { loadCoursePipeline } from '../materializers/course-pipeline.ts';
import { lakeClock } from '../materializers/lake-clock.ts';
import { observeRawFiles } from '../materializers/raw-files.ts';
import { partitionKeys } from '../partitions/daily-partitions.ts';
import { loadOrchestrationPieces } from '../pieces.ts';
import { resolveSelection } from '../selection/resolve-selection.ts';
import { openRunStorage } from './open-run-storage.ts';

export const assets = defineCommand({
  description:
    'Every asset: group, kinds, last materialization, partitions filled, and whether it is fresh, stale (why) or missing.',
  options: {
    select: {
      type: 'string',
      short: 's',
      valueName: 'SELECTION',
      description: 'Only these assets (Dagster syntax).',
      default: '*',
    },
    input: { type: 'string', valueName: 'DIR', description: "The raw files' folder (default data/seeds/stage-02)." },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'json: for scripts.' },
  },
  examples: ['pnpm stage 6 assets', "pnpm stage 6 assets --select 'group:marts'", 'pnpm stage 6 assets --format json'],
  async run(context) {
    const { options, io, paths, mine } = context;
    const storage = openRunStorage(context);
    const pipeline = await loadCoursePipeline({
      context,
      inputDir: options.input === undefined ? undefined : paths.resolve(options.input),
    });
    try {
      const { graph } = pipeline;
      const pieces = await loadOrchestrationPieces(mine, paths);
      const selected = new Set(resolveSelection({ text: options.select, assets: graph.nodes(), pieces }));
      const latest = storage.latestMaterializations();
      // Staleness goes by data changes: an ingest of files already landed makes nothing downstream stale.
      const statuses = assetStatuses({
        graph,
        // The last materialization of each asset, and the last that changed its data.
        materializations: [...latest.values(), ...storage.latestMaterializations({ changedData: true }).values()],
        rawFiles: observeRawFiles(pipeline.inputDir),
        shown: (path) => paths.shown(path),
      });
      const needsClock = graph.assets().some((asset) => asset.partitions && selected.has(asset.key));
      const now = needsClock ? await lakeClock(context).catch(() => undefined) : undefined;

      const rows = graph
        .assets()
        .filter((asset) => selected.has(asset.key))
        .map((asset) => {
          const last = latest.get(asset.key);
          let partitions: { filled: number; total: number | undefined } | undefined;
          if (asset.partitions) {
            const keys = now ? partitionKeys(asset.partitions, now) : [];
            const statuses = storage.partitionStatuses(asset.key, keys);
            const filled = [...statuses].filter(
              ([key, status]) => status === 'MATERIALIZED' && (keys.length === 0 || keys.includes(key)),
            ).length;
            partitions = { filled, total: now ? keys.length : undefined };
          }
          const state = statuses.get(asset.key) ?? { status: 'missing', detail: '' };
          const status =
            state.status === 'external'
              ? state.detail
                ? `external (${state.detail})`
                : 'external'
              : state.status === 'stale'
                ? `stale: ${state.detail}`
                : state.status;
          return {
            key: asset.key,
            group: asset.group,
            kinds: asset.kinds,
            checks: asset.checks.length,
            lastMaterialization: last
              ? { time: last.time, runId: last.runId, rows: last.rows ?? null, partition: last.partitionKey ?? null }
              : null,
            partitions,
            status,
          };
        });

      if (options.format === 'json') {
        writeLine(io, JSON.stringify(rows, null, 2));
        return 0;
      }
      log.message(
        renderTable(
          rows.map((row) => ({
            asset: row.key,
            group: row.group,
            kinds: row.kinds.join(', '),
            checks: row.checks || '',
            'last materialized': row.lastMaterialization
              ? `${row.lastMaterialization.time.replace('T', ' ').slice(0, 19)} (run ${row.lastMaterialization.runId.slice(0, 8)})`
              : '',
            rows: row.lastMaterialization?.rows ?? '',
            partitions: row.partitions ? `${row.partitions.filled}/${row.partitions.total ?? '?'}` : '',
            status: row.status,
          })),
          { compact: true, color: context.color },
        ),
        { output: io.output },
      );
      const counts = (word: string) => rows.filter((row) => row.status.startsWith(word)).length;
      log.info(
        `${rows.length} assets: ${counts('fresh')} fresh, ${counts('stale')} stale, ${counts('missing')} missing, ${counts('external')} external.` +
          (now
            ? ` Partitions are days up to ${new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)} (the lake's newest sales day).`
            : ''),
        { output: io.output },
      );
      return 0;
    } finally {
      await pipeline.close();
      storage.close();
    }
  },
});
