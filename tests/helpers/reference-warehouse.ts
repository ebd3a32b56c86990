import { join } from 'node:path';
import { Database } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import * as reference from '@mart/solutions/01-star-schema';
import { buildStarSchema, seedInput } from '@mart/stage-01-star-schema';

/**
 * A stage 1 warehouse built by the reference pipeline in a temporary folder. The SQL
 * exercises query it, so each exercise is graded on its own, whatever state the
 * learner's other exercises are in.
 */
export async function referenceWarehouse(): Promise<{ db: Database; close(): void }> {
  const temp = tempDir('graded');
  const db = await Database.open(join(temp.path, 'stage-01.duckdb'));
  await buildStarSchema(db, seedInput, reference);
  return {
    db,
    close() {
      db.close();
      temp.remove();
    },
  };
}

/** Money summed in cents, so expectations are exact. */
export function lineAmount(line: { quantity: number; unit_price: number }): number {
  return line.quantity * Math.round(line.unit_price * 100);
}
