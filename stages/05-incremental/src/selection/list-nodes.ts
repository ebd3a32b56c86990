import { UsageError } from '@mart/shared';
import { nodeJson, sourceJson } from '../artifacts/manifest-json.ts';
import type { Manifest } from '../manifest/types.ts';

/** `ls --output`. */
export type ListOutput = 'selector' | 'name' | 'path' | 'json';

/** Options for {@link listNodes}. */
export interface ListNodesOptions {
  output: ListOutput;
  /** `--output-keys` for json: the keys to keep (default dbt's ALLOWED_KEYS). */
  outputKeys?: readonly string[] | undefined;
  /** The project folder, for the json of seeds (root_path). */
  projectRoot: string;
  targetPath: string;
}

/** The keys `dbt ls --output json` keeps (task/list.py ALLOWED_KEYS). */
export const listJsonKeys = [
  'alias',
  'name',
  'package_name',
  'depends_on',
  'tags',
  'config',
  'resource_type',
  'source_name',
  'original_file_path',
  'unique_id',
];

/**
 * The lines `dbt ls` prints for the selected unique_ids (sorted by unique_id):
 * `selector` the fqn joined by dots (`source:pkg.src.tbl` for sources), `name`, `path`
 * (original_file_path), or `json`: one JSON object per node with dbt's keys in the
 * node's field order.
 *
 * @example
 * listNodes(manifest, ids, { output: 'selector', projectRoot, targetPath }) // → ['shop.staging.stg_orders', …]
 */
export function listNodes(manifest: Manifest, ids: readonly string[], options: ListNodesOptions): string[] {
  const keys = new Set(options.outputKeys && options.outputKeys.length > 0 ? options.outputKeys : listJsonKeys);
  const createdAt = Date.now() / 1000;
  return [...ids].sort().flatMap((id) => {
    const node = manifest.nodes.get(id);
    const source = manifest.sources.get(id);
    if (!node && !source) return [];
    switch (options.output) {
      case 'selector':
        return [
          source ? `source:${source.packageName}.${source.sourceName}.${source.name}` : (node?.fqn ?? []).join('.'),
        ];
      case 'name':
        return [source ? `${source.sourceName}.${source.name}` : (node?.name ?? '')];
      case 'path':
        return [(node ?? source)?.originalFilePath ?? ''];
      case 'json': {
        const full = node
          ? nodeJson(node, { projectRoot: options.projectRoot, targetPath: options.targetPath }, createdAt)
          : sourceJson(source as NonNullable<typeof source>, createdAt);
        return [JSON.stringify(Object.fromEntries(Object.entries(full).filter(([key]) => keys.has(key))))];
      }
      default:
        throw new UsageError(`--output ${String(options.output)} is not one of selector, name, path, json`);
    }
  });
}
