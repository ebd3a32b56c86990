import { z } from 'zod';

// The checks file's grammar, as a zod schema: parsing, validation and the error
// messages (with the line, see read-checks-file.ts) all come from this one declaration.
// Strict objects: a misspelt key (`colum:`) is an error, not silently ignored.

const duration = z.string().regex(/^\d+(\.\d+)?\s*[mhdw]$/, 'a duration is a number and m, h, d or w, like 36h or 7d');

const threshold = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    /** Shorthand for min and max together, as in SodaCL's `between`. */
    between: z.tuple([z.number(), z.number()]).optional(),
    max_percent: z.number().min(0).max(100).optional(),
    max_age: duration.optional(),
  })
  .refine(
    (t) => Object.keys(t).length > 0,
    'a threshold needs at least one of min, max, between, max_percent, max_age',
  );

const base = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9_(),.-]+$/, 'names use letters, digits and _ ( ) , . -')
    .optional(),
  fail: threshold.optional(),
  warn: threshold.optional(),
};
const column = z.string().min(1);
const value = z.union([z.string(), z.number()]);

export const checkSchema = z.discriminatedUnion('check', [
  z.strictObject({ check: z.literal('row_count'), ...base }).refine((c) => c.fail || c.warn, {
    message: 'row_count needs a fail or warn threshold, e.g. fail: { min: 1 }',
  }),
  z.strictObject({ check: z.literal('not_null'), column, ...base }),
  z.strictObject({ check: z.literal('unique'), columns: z.array(column).min(1), ...base }),
  z.strictObject({ check: z.literal('accepted_values'), column, values: z.array(value).min(1), ...base }),
  z
    .strictObject({
      check: z.literal('range'),
      column,
      min: z.number().optional(),
      max: z.number().optional(),
      ...base,
    })
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'range needs min, max or both' }),
  z.strictObject({
    check: z.literal('relationships'),
    column,
    to: z.string().regex(/^[^.]+\.[^.]+$/, 'write the other column as table.column'),
    ...base,
  }),
  z
    .strictObject({
      check: z.literal('freshness'),
      column: column.optional(),
      expression: z.string().optional(),
      ...base,
    })
    .refine((c) => (c.column === undefined) !== (c.expression === undefined), {
      message: 'freshness needs either column or expression (not both)',
    })
    .refine((c) => c.fail?.max_age || c.warn?.max_age, {
      message: 'freshness needs max_age in fail or warn, e.g. fail: { max_age: 2d }',
    }),
  z
    .strictObject({
      check: z.literal('schema'),
      columns: z.record(z.string(), z.string().nullable()).optional(),
      forbidden: z.array(column).optional(),
      ...base,
    })
    .refine((c) => c.columns || c.forbidden, { message: 'schema needs columns, forbidden or both' }),
  z.strictObject({
    check: z.literal('sql'),
    name: base.name.unwrap(),
    sql: z.string().min(1),
    fail: base.fail,
    warn: base.warn,
  }),
]);

export const checksFileSchema = z.strictObject({
  /** Pins "now" for freshness checks (ISO date or timestamp). Absent: the real clock. */
  reference_time: z.union([z.string(), z.date()]).optional(),
  /** Rows kept per failed check in the report's samples. */
  sample_rows: z.number().int().positive().max(10_000).optional(),
  tables: z.record(z.string().min(1), z.array(checkSchema).min(1)),
});

export type ChecksFileData = z.infer<typeof checksFileSchema>;
export type CheckData = z.infer<typeof checkSchema>;
