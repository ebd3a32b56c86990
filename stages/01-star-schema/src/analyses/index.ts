import { UsageError } from '@mart/shared';
import type { Analysis } from './analysis.ts';
import { productMix } from './product-mix.ts';
import { revenueBetween } from './revenue-between.ts';
import { revenueByCategory } from './revenue-by-category.ts';

// Three analyses run the learner's exercise pieces (revenueByMonth, topCustomers,
// storePerformance): with --mine, explore shows the learner's own results.

const monthlyTrend: Analysis = {
  name: 'monthly-trend',
  title: 'Monthly revenue trend (with chart)',
  description: 'Revenue, sales and units per month (fact_sales ⋈ dim_date), drawn as bars.',
  params: [],
  run: async (db, pieces) => pieces.revenueByMonth(db),
  chart: (rows) => rows.map((row) => ({ label: String(row.month), value: Number(row.revenue) })),
};

const topCustomers: Analysis = {
  name: 'top-customers',
  title: 'Top customers',
  description: 'The N customers with the highest revenue (fact_sales ⋈ dim_customer).',
  params: [{ name: 'limit', message: 'How many customers?', default: '5' }],
  run: async (db, pieces, { limit }) => pieces.topCustomers(db, limit),
};

const storePerformance: Analysis = {
  name: 'store-performance',
  title: 'Store performance by region',
  description: 'Every store with its region, revenue, sales and units (dim_store ⟕ fact_sales).',
  params: [],
  run: async (db, pieces) => pieces.storePerformance(db),
  chart: (rows) => rows.map((row) => ({ label: String(row.store_name), value: Number(row.revenue) })),
};

/** Every analysis `explore` offers, in menu order. */
export const analyses: Analysis[] = [
  revenueByCategory,
  monthlyTrend,
  topCustomers,
  storePerformance,
  productMix,
  revenueBetween,
];

/** Finds an analysis by name (in `among`, default all of stage 1's), or a usage error listing them. */
export function findAnalysis(name: string, among: readonly Analysis[] = analyses): Analysis {
  const found = among.find((analysis) => analysis.name === name);
  if (!found) {
    throw new UsageError(`Unknown query "${name}".`, {
      hint: `Valid queries: ${among.map((analysis) => analysis.name).join(', ')}.`,
    });
  }
  return found;
}
