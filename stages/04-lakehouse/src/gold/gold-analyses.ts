import { quoteIdentifier } from '@mart/shared';
import type { Analysis } from '@mart/stage-01-star-schema';
import { goldMarts } from './gold-marts.ts';

/**
 * `explore` over gold: one analysis per gold mart, read from the local serving copy the
 * build writes (`gold_<mart>`), after stage 1's analyses of the star schema.
 */
export const goldAnalyses: Analysis[] = Object.keys(goldMarts).map((mart) => ({
  name: `gold-${mart.replaceAll('_', '-')}`,
  title: `Gold mart: ${mart.replaceAll('_', ' ')}`,
  description: `The gold.${mart} lake table at the latest build (pnpm stage 4 query reads any snapshot).`,
  params: [],
  run: async (db) => db.all(`select * from ${quoteIdentifier(`gold_${mart}`)}`),
  ...(mart === 'revenue_by_month'
    ? { chart: (rows) => rows.map((row) => ({ label: String(row.month), value: Number(row.revenue) })) }
    : {}),
}));
