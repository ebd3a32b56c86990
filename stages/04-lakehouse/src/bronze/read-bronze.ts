import { readFileSync } from 'node:fs';
import type { ObjectStore } from '../object-store.ts';
import type { BronzeFiles } from '../silver/build-silver.ts';
import { settleAll } from '../transfer-limit.ts';
import type { LandedObject } from './land-bronze.ts';

/**
 * Every bronze file of every complete ingest, fetched to local paths, by table. An
 * ingest counts once its manifest (bronze/_ingests/<id>.json) exists: objects of an
 * ingest that failed half-way are never read.
 *
 * The manifests are fetched together, then every object they list: all at once, the
 * store keeping at most its concurrency (MART_S3_CONCURRENCY, default 8) in flight. The
 * files come back in the same order as fetched one by one: manifests in key order, each
 * manifest's objects in its order.
 */
export async function readBronze(
  store: ObjectStore,
  fetch: (key: string) => Promise<string>,
): Promise<{ files: BronzeFiles; ingests: string[] }> {
  const manifests = (await store.list('bronze/_ingests/')).filter((object) => object.key.endsWith('.json'));
  // settleAll, not Promise.all: on a failure, no fetch is left running behind the error.
  const contents = await settleAll(
    manifests.map(
      async (manifest) =>
        JSON.parse(readFileSync(await fetch(manifest.key), 'utf8')) as { ingest_id: string; objects: LandedObject[] },
    ),
  );
  const objects = contents.flatMap((content) => content.objects);
  const paths = await settleAll(objects.map((object) => fetch(object.key)));
  const files: BronzeFiles = {};
  for (const [i, object] of objects.entries()) {
    const table = object.key.split('/')[1] ?? '';
    files[table] = [...(files[table] ?? []), paths[i] ?? ''];
  }
  return { files, ingests: contents.map((content) => content.ingest_id).sort() };
}
