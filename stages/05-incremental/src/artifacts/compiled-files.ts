import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { ManifestNode } from '../manifest/types.ts';

/**
 * Where dbt writes a node's compiled SQL, relative to the target folder:
 * `compiled/<package>/<original_file_path>` for a node with its own file, and
 * `compiled/<package>/<yml path>/<test>.sql` for nodes defined inside another file
 * (generic tests, yml snapshots). `subdirectory: 'run'` gives the executed SQL's path.
 *
 * @example
 * compiledRelativePath(node) // → compiled/shop/models/schema.yml/not_null_orders_order_id.sql
 */
export function compiledRelativePath(node: ManifestNode, subdirectory: 'compiled' | 'run' = 'compiled'): string {
  const own = posix.basename(node.path) === posix.basename(node.originalFilePath);
  const path = own ? node.originalFilePath : posix.join(node.originalFilePath, node.path);
  return posix.join(subdirectory, node.packageName, path);
}

/**
 * Writes a node's compiled SQL under the target folder (as `dbt compile` does) and
 * returns the file's absolute path.
 *
 * @example
 * writeCompiledFile('/p/target', node, sql) // → /p/target/compiled/shop/models/orders.sql
 */
export function writeCompiledFile(
  targetPath: string,
  node: ManifestNode,
  sql: string,
  subdirectory: 'compiled' | 'run' = 'compiled',
): string {
  const file = join(targetPath, ...compiledRelativePath(node, subdirectory).split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sql);
  return file;
}
