import { join } from 'node:path';
import { Database } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import * as reference from '@mart/solutions/01-star-schema';
import { buildStarSchema } from '../build-star-schema.ts';
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
    await buildStarSchema(db, seedInput, reference);
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
