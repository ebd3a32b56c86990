import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvTables } from '@mart/stage-02-csv-loads';
import type { ObjectStore } from '../object-store.ts';
import { settleAll } from '../transfer-limit.ts';

/** One input file of an ingest, as its manifest records it. */
export interface SourceFile {
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * The four CSV files an ingest reads from `inputDir`, with their sizes and content
 * hashes (a missing file is left out: stage 2 reports it). Recorded in the ingest's
 * manifest, so a later command can tell that the same files were landed already.
 *
 * @example
 * describeSources(paths.seeds(2)).map((source) => source.file) // → ['customers.csv', 'products.csv', …]
 */
export function describeSources(inputDir: string): SourceFile[] {
  return csvTables
    .map((table) => join(inputDir, table.file))
    .filter((path) => existsSync(path))
    .map((path) => {
      const bytes = readFileSync(path);
      return {
        file: path.slice(inputDir.length + 1),
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    });
}

/**
 * The id of the newest ingest in the lake whose manifest lists exactly `sources` (same
 * names, same contents), or undefined. Ingests written before manifests recorded their
 * sources never match.
 *
 * @example
 * await findIngestOf(lake.store, describeSources(paths.seeds(2))) // → '20261129T174012123Z'
 */
export async function findIngestOf(store: ObjectStore, sources: readonly SourceFile[]): Promise<string | undefined> {
  const wanted = sourcesKey(sources);
  const manifests = (await store.list('bronze/_ingests/')).filter((object) => object.key.endsWith('.json'));
  const contents = await settleAll(
    manifests.map(async (manifest) => {
      const text = new TextDecoder().decode(await store.getRange(manifest.key, 0, manifest.size));
      return JSON.parse(text) as { ingest_id: string; sources?: SourceFile[] };
    }),
  );
  return contents
    .filter((content) => content.sources !== undefined && sourcesKey(content.sources) === wanted)
    .map((content) => content.ingest_id)
    .sort()
    .at(-1);
}

function sourcesKey(sources: readonly SourceFile[]): string {
  return sources
    .map((source) => `${source.file}:${source.sha256}`)
    .sort()
    .join('\n');
}
