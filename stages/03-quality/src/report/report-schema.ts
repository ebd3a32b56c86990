import { z } from 'zod';
import { checkTypes } from '../given/index.ts';

// report.json's schema: the contract for anything that reads quality reports (a CI
// step, a dashboard, stage 6's asset checks). `schema_version` changes when a field is
// renamed or removed; new fields may be added. report.schema.json (committed) is this
// schema as JSON Schema, for tools outside TypeScript; a test keeps the two in step.

export const outcomeSchema = z.enum(['pass', 'warn', 'fail', 'error']);

export const checkReportSchema = z.strictObject({
  id: z.string().describe('<table>.<name>, unique in the run'),
  name: z.string(),
  table: z.string(),
  type: z.enum(checkTypes),
  metric: z.string().describe('what was measured, e.g. missing_count; empty when the check errored'),
  value: z.number().nullable(),
  percent: z.number().nullable().describe('value as a percentage of the table rows, when meaningful'),
  threshold: z.string(),
  outcome: outcomeSchema,
  message: z.string(),
  sample_file: z.string().nullable().describe('failing-row sample, relative to the report folder'),
  sample_rows: z.number().int().nonnegative().nullable(),
});

export const reportSchema = z.strictObject({
  schema_version: z.literal(1),
  run_id: z.string(),
  command: z.enum(['quality', 'build']),
  started_at: z.iso.datetime(),
  duration_ms: z.number().nonnegative(),
  reference_time: z.iso.datetime().describe('"now" for freshness checks'),
  warehouse: z.string(),
  checks_file: z.string(),
  select: z.string().nullable(),
  mine: z.boolean(),
  outcome: outcomeSchema.describe('the worst outcome of any check'),
  exit_code: z.number().int().min(0).max(3),
  published: z.boolean().nullable().describe('build only: did the candidate replace the published warehouse'),
  summary: z.strictObject({
    total: z.number().int(),
    pass: z.number().int(),
    warn: z.number().int(),
    fail: z.number().int(),
    error: z.number().int(),
  }),
  checks: z.array(checkReportSchema),
});

export type QualityReport = z.infer<typeof reportSchema>;
export type CheckReport = z.infer<typeof checkReportSchema>;
export type OutcomeName = z.infer<typeof outcomeSchema>;
