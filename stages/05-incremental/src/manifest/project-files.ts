import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A file inside one of the project's resource folders. */
export interface ProjectFile {
  /** Absolute path. */
  absolutePath: string;
  /** Relative to the project folder, `/`-separated: `models/staging/stg_orders.sql` (dbt's original_file_path). */
  originalFilePath: string;
  /** Relative to the resource folder it was found in: `staging/stg_orders.sql` (dbt's path). */
  path: string;
  /** The resource folder, relative to the project: `models`. */
  resourceDir: string;
}

/**
 * Every file under `dirs` (resource folders relative to `root`) whose name ends with
 * one of `extensions`, sorted by path. Hidden files and folders are skipped.
 *
 * @example
 * projectFiles('/p', ['models'], ['.sql']) // → [{ originalFilePath: 'models/orders.sql', path: 'orders.sql', … }]
 */
export function projectFiles(root: string, dirs: readonly string[], extensions: readonly string[]): ProjectFile[] {
  const out: ProjectFile[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const absolutePath of walk(base)) {
      if (!extensions.some((extension) => absolutePath.toLowerCase().endsWith(extension))) continue;
      if (seen.has(absolutePath)) continue;
      seen.add(absolutePath);
      out.push({
        absolutePath,
        originalFilePath: toPosix(relative(root, absolutePath)),
        path: toPosix(relative(base, absolutePath)),
        resourceDir: toPosix(dir),
      });
    }
  }
  return out.sort((a, b) =>
    a.originalFilePath < b.originalFilePath ? -1 : a.originalFilePath > b.originalFilePath ? 1 : 0,
  );
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
