import { readFileSync } from 'node:fs';
import type { ObjectStore } from '../object-store.ts';
import type { BronzeFiles } from '../silver/build-silver.ts';
import type { LandedObject } from './land-bronze.ts';

/**
 * Every bronze file of every complete ingest, fetched to local paths, by table. An
 * ingest counts once its manifest (bronze/_ingests/<id>.json) exists: objects of an
 * ingest that failed half-way are never read.
 */
export async function readBronze(
  store: ObjectStore,
  fetch: (key: string) => Promise<string>,
): Promise<{ files: BronzeFiles; ingests: string[] }> {
  const manifests = (await store.list('bronze/_ingests/')).filter((object) => object.key.endsWith('.json'));
  const files: BronzeFiles = {};
  const ingests: string[] = [];
  for (const manifest of manifests) {
    const { ingest_id: ingestId, objects } = JSON.parse(readFileSync(await fetch(manifest.key), 'utf8')) as {
      ingest_id: string;
      objects: LandedObject[];
    };
    ingests.push(ingestId);
    for (const object of objects) {
      const table = object.key.split('/')[1] ?? '';
      files[table] = [...(files[table] ?? []), await fetch(object.key)];
    }
  }
  return { files, ingests: ingests.sort() };
}
