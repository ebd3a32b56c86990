import { z } from 'zod';
import { reportSchema } from './report-schema.ts';

/** report.json's schema as JSON Schema (draft 2020-12), the form committed as report.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(reportSchema),
    title: 'Mini Data Mart quality report (report.json)',
  };
}
