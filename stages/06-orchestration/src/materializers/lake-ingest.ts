import type { CommandContext } from '@mart/shared';
import { describeSources, findIngestOf, ingestFiles, openLake, writeThroughStore } from '@mart/stage-04-lakehouse';
import type { MaterializeResult, MetadataValue } from '../assets/define-asset.ts';
import type { AssetKey } from '../given/types.ts';
import { type MultiAsset, multiAsset } from '../run/multi-asset.ts';
import { rawFingerprint } from './raw-files.ts';

/** Options for {@link lakeIngestStep}. */
export interface LakeIngestOptions {
  context: Pick<CommandContext, 'mine' | 'paths' | 'env'>;
  /** The raw files' folder (stage 2's input; default data/seeds/stage-02/). */
  inputDir: string;
  /** Land the files even when the same files were landed already. */
  force: boolean;
}

/** The name of the ingest step in runs and progress lines. */
export const lakeIngestStepName = 'lake_ingest';

/**
 * The bronze assets' step: stage 4's ingest of the raw files (stage 2 validates them,
 * bronze lands every table as Parquet in one ingest). One execution lands every bronze
 * table, so it is one multi-asset step; each selected bronze asset is recorded with the
 * rows it landed and the ingest id.
 *
 * Bronze keeps every ingest, and the newest version of a record wins downstream, so
 * landing the SAME files again would only re-send old versions as the newest. Every
 * ingest's manifest records its files' hashes (stage 4's `pnpm stage 4 build` too):
 * when an ingest of exactly these files is in the lake, the step lands nothing and says
 * so (`--force` lands them anyway).
 *
 * @example
 * const ingest = lakeIngestStep({ context, inputDir: paths.seeds(2), force: false });
 * defineAsset({ key: 'lake/bronze/sales', materialize: ingest.materializeFor('lake/bronze/sales') });
 */
export function lakeIngestStep(options: LakeIngestOptions): MultiAsset {
  const { context, inputDir } = options;
  return multiAsset({
    name: lakeIngestStepName,
    description: "stage 4's ingest: the raw files validated by stage 2 and landed in bronze",
    async materialize({ assetKeys, signal, log }) {
      const fingerprint = rawFingerprint(inputDir);
      const shownInput = context.paths.shown(inputDir);
      // The catalog is held for writing, as `pnpm stage 4 ingest` does: `lake gc` waits meanwhile.
      const lake = await openLake(context, { catalog: 'write' });
      try {
        // Any ingest of exactly these files (stage 4's own build included: its manifest
        // records the files' hashes) means they are in bronze already.
        const landedAs = options.force ? undefined : await findIngestOf(lake.store, describeSources(inputDir));
        if (landedAs !== undefined) {
          log.info(`The files in ${shownInput} are those of ingest ${landedAs}: nothing landed.`);
          const unchanged: Record<string, MetadataValue> = {
            ingest_id: landedAs,
            raw_fingerprint: fingerprint,
            input: shownInput,
            unchanged: true,
          };
          return Object.fromEntries(assetKeys.map((key) => [key, { metadata: unchanged }]));
        }
        // What lands is also kept in the local cache, as `pnpm stage 4 ingest` does, so the
        // build step right after reads bronze from disk instead of downloading it again.
        const store = writeThroughStore(lake.store, lake.files);
        const result = await ingestFiles({ store, pieces: lake.pieces }, inputDir, context, {
          maxRejectRate: 0.1,
          signal,
          onStep: (message) => log.info(message),
        });
        const byTable = new Map<string, { rows: number; objects: number; bytes: number }>();
        for (const object of result.landed) {
          const table = object.key.split('/')[1] ?? '';
          const entry = byTable.get(table) ?? { rows: 0, objects: 0, bytes: 0 };
          entry.rows += object.rows;
          entry.objects += 1;
          entry.bytes += object.bytes;
          byTable.set(table, entry);
        }
        for (const file of result.load.files) {
          log.info(`${file.file}: ${file.read} read = ${file.loaded} loaded + ${file.rejected} rejected`);
        }
        const results: Record<AssetKey, MaterializeResult> = {};
        for (const key of assetKeys) {
          const table = key.split('/').at(-1) ?? '';
          const landed = byTable.get(table) ?? { rows: 0, objects: 0, bytes: 0 };
          results[key] = {
            rows: landed.rows,
            metadata: {
              ingest_id: result.ingestId,
              objects: landed.objects,
              bytes: landed.bytes,
              raw_fingerprint: fingerprint,
              input: shownInput,
            },
          };
        }
        return results;
      } finally {
        await lake.close();
      }
    },
  });
}
