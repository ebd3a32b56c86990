import { type CommandContext, Database } from '@mart/shared';
import { loadStarSchemaPieces } from '@mart/stage-01-star-schema';
import { type LoadResult, loadCsvPieces, loadCsvWarehouse, readInputs } from '@mart/stage-02-csv-loads';
import type { Lake } from '../open-lake.ts';
import { type LandedObject, type LandOptions, landBronze } from './land-bronze.ts';
import { describeSources } from './source-files.ts';

/** What one ingest did: stage 2's reconciliation and the objects it landed. */
export interface IngestResult {
  ingestId: string;
  load: LoadResult;
  landed: LandedObject[];
}

/**
 * One ingest: stage 2's loader reads and validates the four CSV files (file-level
 * problems stop here, before anything is uploaded), then bronze lands what it read.
 */
export async function ingestFiles(
  lake: Pick<Lake, 'store' | 'pieces'>,
  inputDir: string,
  context: Pick<CommandContext, 'mine' | 'paths'>,
  options: { maxRejectRate: number; onStep?: (message: string) => void } & LandOptions,
): Promise<IngestResult> {
  const csvPieces = await loadCsvPieces(context.mine, context.paths);
  // Hashed before reading, so a file changing meanwhile cannot pass as the one recorded.
  const sources = describeSources(inputDir);
  const inputs = readInputs(inputDir, csvPieces);
  const db = await Database.open(':memory:');
  try {
    const load = await loadCsvWarehouse(db, inputs, {
      pieces: csvPieces,
      starPieces: await loadStarSchemaPieces(context.mine, context.paths),
      maxRejectRate: options.maxRejectRate,
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    // Ctrl-C while stage 2 read the files: nothing uploaded yet, nothing to undo.
    options.signal?.throwIfAborted();
    // Sortable and safe in keys: 20261129T174012123Z.
    const ingestId = new Date().toISOString().replace(/[-:.]/g, '');
    const { signal, beforeCommit, onCleanup } = options;
    const landed = await landBronze(db, lake.store, lake.pieces, ingestId, {
      signal,
      beforeCommit,
      onCleanup,
      sources,
    });
    return { ingestId, load, landed };
  } finally {
    db.close();
  }
}

/** The committed seeds, ingested with the defaults. */
export async function ingestSeeds(
  lake: Pick<Lake, 'store' | 'pieces'>,
  context: Pick<CommandContext, 'mine' | 'paths'>,
  options: LandOptions = {},
): Promise<IngestResult> {
  return ingestFiles(lake, context.paths.seeds(2), context, { maxRejectRate: 0.1, ...options });
}
