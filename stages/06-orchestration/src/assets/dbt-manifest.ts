import { readFileSync } from 'node:fs';
import { CliError } from '@mart/shared';
import { z } from 'zod';

// The part of dbt's manifest.json (v12, and the v10–v11 layouts it extends) that stage 6
// reads. Unknown fields are kept out of the way: a newer dbt adds fields, not meanings.

const metaSchema = z.record(z.string(), z.unknown()).default({});

const nodeSchema = z.looseObject({
  unique_id: z.string(),
  resource_type: z.string(),
  name: z.string(),
  package_name: z.string(),
  /** Relative to the resource folder: `staging/stg_sales.sql`. */
  path: z.string(),
  original_file_path: z.string(),
  fqn: z.array(z.string()),
  description: z.string().default(''),
  tags: z.array(z.string()).default([]),
  meta: metaSchema,
  relation_name: z.string().nullable().default(null),
  checksum: z.object({ name: z.string(), checksum: z.string() }),
  config: z.looseObject({
    enabled: z.boolean().default(true),
    materialized: z.string(),
    group: z.string().nullable().default(null),
    meta: metaSchema,
    severity: z.string().nullable().default(null),
    event_time: z.string().nullable().default(null),
    batch_size: z.string().nullable().default(null),
    begin: z.string().nullable().default(null),
  }),
  depends_on: z.object({ nodes: z.array(z.string()).default([]) }).default({ nodes: [] }),
  attached_node: z.string().nullable().default(null),
});

const sourceSchema = z.looseObject({
  unique_id: z.string(),
  name: z.string(),
  source_name: z.string(),
  database: z.string().nullable(),
  schema: z.string(),
  identifier: z.string(),
  description: z.string().default(''),
});

const manifestSchema = z.looseObject({
  metadata: z.looseObject({
    dbt_schema_version: z
      .string()
      .regex(/\/manifest\/v\d+\.json$/, 'a dbt manifest schema URL (…/dbt/manifest/v12.json)'),
    adapter_type: z.string().nullable().default(null),
    project_name: z.string().nullable().default(null),
  }),
  nodes: z.record(z.string(), nodeSchema),
  sources: z.record(z.string(), sourceSchema).default({}),
});

/** A model, seed, snapshot or test of the manifest, as stage 6 reads it. */
export type DbtNode = z.infer<typeof nodeSchema>;
/** A source table of the manifest. */
export type DbtSource = z.infer<typeof sourceSchema>;
/** The parts of a manifest.json stage 6 reads. */
export type DbtManifest = z.infer<typeof manifestSchema>;

/**
 * Checks a parsed manifest.json and keeps what stage 6 reads. A file that is not a dbt
 * manifest, or lacks a field, is a CliError naming the field.
 *
 * @example
 * const manifest = parseDbtManifest(JSON.parse(text), 'target/manifest.json');
 */
export function parseDbtManifest(json: unknown, shown = 'manifest.json'): DbtManifest {
  const parsed = manifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(the top level)';
  throw new CliError(`${shown} is not a dbt manifest stage 6 can read: ${path}: ${issue?.message}.`, {
    hint: 'Write it again with `pnpm stage 5 compile` (or `dbt parse`): stage 6 reads manifest.json v10–v12.',
  });
}

/**
 * Reads a manifest.json file (`dbt parse`, `pnpm stage 5 compile` write it in the
 * project's target/ folder).
 *
 * @example
 * const manifest = readDbtManifest('stages/05-incremental/project/target/manifest.json');
 */
export function readDbtManifest(file: string, shown = file): DbtManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the dbt manifest ${shown}: ${(error as Error).message}`, {
      hint: 'Write it with `pnpm stage 5 compile` first.',
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${shown} is not JSON: ${(error as Error).message}`, {
      hint: 'Write it again with `pnpm stage 5 compile`.',
      cause: error,
    });
  }
  return parseDbtManifest(json, shown);
}
