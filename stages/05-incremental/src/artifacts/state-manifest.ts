import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '@mart/shared';

/** What `state:` compares of a node in a saved manifest.json (dbt's or ours). */
export interface StateNode {
  resourceType: string;
  rawCode: string;
  checksum: string;
  fqn: string[];
  unrenderedConfig: Record<string, unknown>;
  /** `config.materialized` etc., for configs the unrendered config leaves out. */
  config: Record<string, unknown>;
  dependsOnMacros: string[];
}

/** A saved manifest, reduced to what `--state` selection needs. */
export interface StateManifest {
  /** The folder given with --state. */
  dir: string;
  /** Nodes and sources by unique_id. */
  nodes: Map<string, StateNode>;
  /** Macro text by unique_id. */
  macros: Map<string, string>;
}

/**
 * Reads `<dir>/manifest.json` for `--state DIR` (dbt's slim CI): a manifest written by
 * this runner or by dbt itself.
 *
 * @example
 * const state = readStateManifest('prod-artifacts');
 */
export function readStateManifest(dir: string): StateManifest {
  const file = join(resolve(dir), 'manifest.json');
  if (!existsSync(file)) {
    throw new CliError(`Got a state selector method, but no comparison manifest: ${file} does not exist`, {
      hint: 'Pass with --state the target folder of an earlier run (it holds manifest.json).',
    });
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Point --state at a folder holding a manifest.json written by dbt or by this runner.',
    });
  }
  const nodes = new Map<string, StateNode>();
  for (const key of ['nodes', 'sources'] as const) {
    for (const [id, value] of Object.entries(asRecord(data[key]))) {
      const node = asRecord(value);
      nodes.set(id, {
        resourceType: String(node.resource_type ?? ''),
        rawCode: String(node.raw_code ?? ''),
        checksum: String(asRecord(node.checksum).checksum ?? ''),
        fqn: Array.isArray(node.fqn) ? node.fqn.map(String) : [],
        unrenderedConfig: asRecord(node.unrendered_config),
        config: asRecord(node.config),
        dependsOnMacros: Array.isArray(asRecord(node.depends_on).macros)
          ? (asRecord(node.depends_on).macros as unknown[]).map(String)
          : [],
      });
    }
  }
  const macros = new Map<string, string>();
  for (const [id, value] of Object.entries(asRecord(data.macros)))
    macros.set(id, String(asRecord(value).macro_sql ?? ''));
  return { dir, nodes, macros };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
