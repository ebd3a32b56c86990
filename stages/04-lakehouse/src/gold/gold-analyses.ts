import { quoteIdentifier } from '@mart/shared';
import type { Analysis } from '@mart/stage-01-star-schema';
import { goldServingName } from '../serving-copy.ts';
import { goldMarts } from './gold-marts.ts';

/** The column each mart's bar chart labels its bars with (the value is always revenue). */
const chartLabels: Record<string, string> = {
  revenue_by_month: 'month',
  revenue_by_category: 'category',
  store_performance: 'store_name',
};

/**
 * `explore` over gold: one analysis per gold mart, read from the local serving copy the
 * build writes (`gold_<mart>`), after stage 1's analyses of the star schema. The marts
 * use stage 1's column names (revenue, sales, units), so their charts are stage 1's too.
 */
export const goldAnalyses: Analysis[] = Object.keys(goldMarts).map((mart) => {
  const label = chartLabels[mart];
  return {
    name: `gold-${mart.replaceAll('_', '-')}`,
    title: `Gold mart: ${mart.replaceAll('_', ' ')}`,
    description: `The gold.${mart} lake table at the latest build (pnpm stage 4 query reads any snapshot).`,
    params: [],
    run: async (db) => db.all(`select * from ${quoteIdentifier(goldServingName(mart))}`),
    ...(label
      ? { chart: (rows) => rows.map((row) => ({ label: String(row[label]), value: Number(row.revenue) })) }
      : {}),
  } satisfies Analysis;
});
