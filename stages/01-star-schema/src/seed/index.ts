import type { StarSchemaInput } from '../build-star-schema.ts';
import { customers } from './customers.ts';
import { products } from './products.ts';
import { saleLines } from './sales.ts';
import { stores } from './stores.ts';

export { customers, products, saleLines, stores };

/** Stage 1's hardcoded input: typed rows in TypeScript, no files to read. */
export const seedInput: StarSchemaInput = { customers, products, stores, saleLines };
