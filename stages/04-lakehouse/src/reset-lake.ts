import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { confirm, log } from '@clack/prompts';
import { answerOrUndefined, type CommandContext, countOf } from '@mart/shared';
import { catalogAlias } from './ducklake/lake-session.ts';
import { catalogPath, lakePrefix, openLake } from './open-lake.ts';

/** Where bronze lives in the bucket, beside the lake tables' `lake/`. */
const bronzePrefix = 'bronze/';

/**
 * `pnpm stage 4 lake reset`: start over. Deletes the bucket's objects under `lake/` and
 * `bronze/`, the catalog, the download cache and the serving copy (stage 4's warehouse).
 * Asks first unless `yes`. The catalog is opened for writing before anything is
 * deleted, so a reset is refused while another command (a build, an ingest) holds it.
 *
 * @example
 * await resetLake(context, { yes: false }); // asks, through context.io
 */
export async function resetLake(
  context: Pick<CommandContext, 'mine' | 'paths' | 'env' | 'io'>,
  options: { yes: boolean },
): Promise<number> {
  const { paths, io } = context;
  const output = io.output;
  const catalog = catalogPath(paths);
  const hadCatalog = existsSync(catalog);
  const cache = join(paths.lake(), 'cache');
  const serving = paths.warehouse(4);
  // Holding the catalog's write lock: refused (a CliError) while another process holds it.
  const lake = await openLake(context, hadCatalog ? { catalog: 'write' } : {});
  let deleted: { objects: number; bytes: number; snapshots: number };
  try {
    const objects = [...(await lake.store.list(lakePrefix)), ...(await lake.store.list(bronzePrefix))];
    const bytes = objects.reduce((sum, object) => sum + object.size, 0);
    const snapshots = lake.session
      ? await lake.session.db.value<number>(`select count(*)::bigint from ${catalogAlias}.ducklake_snapshot`)
      : 0;
    const what = [
      ...(objects.length > 0
        ? [
            `${countOf(objects.length, 'object')} (${countOf(bytes, 'byte')}) under ${lake.store.urlPrefix}${lakePrefix} and ${lake.store.urlPrefix}${bronzePrefix}`,
          ]
        : []),
      ...(hadCatalog ? [`the catalog ${paths.shown(catalog)} (${countOf(snapshots, 'snapshot')})`] : []),
      ...(existsSync(cache) ? [`the download cache ${paths.shown(cache)}/`] : []),
      ...(existsSync(serving) ? [`the local copy for explore ${paths.shown(serving)}`] : []),
    ];
    if (what.length === 0) {
      log.info('The lake is empty already: nothing to delete.', { output });
      return 0;
    }
    if (!options.yes) {
      log.warn(`lake reset deletes:\n${what.map((line) => `  ${line}`).join('\n')}`, { output });
      const sure = answerOrUndefined(
        await confirm({
          message: 'Delete the whole lake and start over? There is no undo.',
          initialValue: false,
          input: io.input,
          output,
        }),
      );
      if (!sure) {
        log.info('Nothing deleted.', { output });
        return 0;
      }
    }
    await lake.store.delete(objects.map((object) => object.key));
    deleted = { objects: objects.length, bytes, snapshots };
  } finally {
    // The catalog file is deleted below: close it (and give up its lock) first.
    await lake.close();
  }
  for (const file of [catalog, `${catalog}.wal`, serving, `${serving}.wal`]) rmSync(file, { force: true });
  rmSync(cache, { recursive: true, force: true });
  log.success(
    `Deleted ${countOf(deleted.objects, 'object')} (${countOf(deleted.bytes, 'byte')}), the catalog (${countOf(deleted.snapshots, 'snapshot')}), the download cache and the local copy for explore.`,
    { output },
  );
  log.info('Start again: pnpm stage 4 ingest, then pnpm stage 4 build.', { output });
  return 0;
}
