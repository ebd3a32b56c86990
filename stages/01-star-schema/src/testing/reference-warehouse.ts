import { join } from 'node:path';
import { Database, MartPaths, MineScope } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { buildStarSchema } from '../build-star-schema.ts';
import { loadStarSchemaPieces, type StarSchemaPieces } from '../pieces.ts';
import { seedInput } from '../seed/index.ts';

/** A warehouse in a temporary folder; `close()` closes it and deletes the folder. */
export interface TemporaryWarehouse {
  db: Database;
  close(): void;
}

/**
 * A stage 1 warehouse built from the seed by the reference pieces, in a temporary
 * folder. Tests query it; graded SQL exercises run against it so each exercise is
 * graded on its own, whatever state the learner's other exercises are in.
 *
 * @example
 * const warehouse = await referenceWarehouse();
 * try { await warehouse.db.all('select * from fact_sales'); } finally { warehouse.close(); }
 */
export async function referenceWarehouse(): Promise<TemporaryWarehouse> {
  const temp = tempDir('stage-01');
  const db = await Database.open(join(temp.path, 'stage-01.duckdb'));
  try {
    await buildStarSchema(db, seedInput, await referenceStarPieces());
  } catch (error) {
    db.close();
    temp.remove();
    throw error;
  }
  return {
    db,
    close() {
      db.close();
      temp.remove();
    },
  };
}

/**
 * Stage 1's reference pieces (solutions/01-star-schema), for tests that need them.
 *
 * @example
 * await buildStarSchema(db, seedInput, await referenceStarPieces());
 */
export function referenceStarPieces(): Promise<StarSchemaPieces> {
  return loadStarSchemaPieces(MineScope.none(), new MartPaths());
}
