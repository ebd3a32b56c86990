// Helpers for stage 2's tests (and later stages'): input folders and in-memory loads.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, MartPaths, MineScope } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { loadStarSchemaPieces, type StarSchemaPieces } from '@mart/stage-01-star-schema';
import { type LoadOptions, type LoadResult, loadCsvWarehouse, readInputs } from '../load/load-csv-warehouse.ts';
import { type CsvLoadPieces, loadCsvPieces } from '../pieces.ts';

/** A temporary input folder. */
export interface InputDir {
  path: string;
  remove(): void;
}

/**
 * Copies the committed stage 2 seeds into a temporary folder, then replaces files:
 * a string or bytes becomes the file's content, `null` deletes the file.
 *
 * @example
 * const input = seedInputDir({ 'stores.csv': 'store_id;name\n' });
 */
export function seedInputDir(files: Record<string, string | Uint8Array | null> = {}): InputDir {
  const dir = tempDir('stage-02-input');
  cpSync(new MartPaths().seeds(2), dir.path, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir.path, name);
    if (content === null) rmSync(path);
    else writeFileSync(path, content);
  }
  return { path: dir.path, remove: dir.remove };
}

/** A load into an in-memory database with the reference pieces. */
export interface LoadedWarehouse {
  db: Database;
  result: LoadResult;
  close(): void;
}

/**
 * Runs the whole stage 2 load of `inputDir` into an in-memory DuckDB (no warehouse file),
 * with the reference pieces. File-level problems throw, as in `pnpm stage 2 build`.
 */
export async function loadInMemory(inputDir: string, options: Partial<LoadOptions> = {}): Promise<LoadedWarehouse> {
  const { pieces, starPieces } = await referenceCsvPieces();
  const inputs = readInputs(inputDir, pieces);
  const db = await Database.open(':memory:');
  try {
    const result = await loadCsvWarehouse(db, inputs, { pieces, starPieces, maxRejectRate: 1, ...options });
    return { db, result, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The reference pieces of stages 1 and 2, for tests that run the loader.
 *
 * @example
 * const { pieces, starPieces } = await referenceCsvPieces();
 */
export async function referenceCsvPieces(): Promise<{ pieces: CsvLoadPieces; starPieces: StarSchemaPieces }> {
  const paths = new MartPaths();
  return {
    pieces: await loadCsvPieces(MineScope.none(), paths),
    starPieces: await loadStarSchemaPieces(MineScope.none(), paths),
  };
}
