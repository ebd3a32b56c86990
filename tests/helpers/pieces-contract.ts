// Type-checked, never run: each stage loads its pieces by path (solutions/ or, with
// --mine, exercises/) and uses them through the contract in its given/ code. These
// lines make `pnpm typecheck` fail when the reference pieces stop fulfilling it.
import type * as StarSchema from '@mart/solutions/01-star-schema';
import type * as CsvLoads from '@mart/solutions/02-csv-loads';
import type * as Quality from '@mart/solutions/03-quality';
import type * as Lakehouse from '@mart/solutions/04-lakehouse';
import type * as Incremental from '@mart/solutions/05-incremental';
import type * as Orchestration from '@mart/solutions/06-orchestration';
import type { StarSchemaPieces } from '@mart/stage-01-star-schema/given';
import type { CsvLoadPieces } from '@mart/stage-02-csv-loads/given';
import type { QualityPieces } from '@mart/stage-03-quality/given';
import type { LakePieces } from '@mart/stage-04-lakehouse/given';
import type { IncrementalPieces } from '@mart/stage-05-incremental/given';
import type { OrchestrationPieces } from '@mart/stage-06-orchestration/given';

/** `true` only when the solutions module has every function of the contract, with its type. */
type Fulfils<Module, Contract> = Module extends Contract ? true : false;

export const contracts: [
  Fulfils<typeof StarSchema, StarSchemaPieces>,
  Fulfils<typeof CsvLoads, CsvLoadPieces>,
  Fulfils<typeof Quality, QualityPieces>,
  Fulfils<typeof Lakehouse, LakePieces>,
  Fulfils<typeof Incremental, IncrementalPieces>,
  Fulfils<typeof Orchestration, OrchestrationPieces>,
] = [true, true, true, true, true, true];
