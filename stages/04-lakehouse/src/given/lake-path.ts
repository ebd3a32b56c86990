// Given (not an exercise): DuckLake's path rules, used by the pieces and the stage's reader.
/**
 * Appends a relative lake path to its parent folder. DuckLake stores folders with a
 * trailing `/` (`data/`, `main/`, `sales/`), but an older or hand-written catalog may
 * not, and an empty path (catalogs from before schema/table paths existed) means the
 * parent itself.
 *
 * @example
 * joinLakePath('s3://bucket/lake/', 'main/') // → 's3://bucket/lake/main/'
 * joinLakePath('data', 'main/') // → 'data/main/'
 */
export function joinLakePath(parent: string, child: string): string {
  if (child === '') return parent;
  if (parent === '' || parent.endsWith('/')) return `${parent}${child}`;
  return `${parent}/${child}`;
}

/**
 * Resolves one catalog path against its parent: DuckLake's `path_is_relative` says
 * whether `path` continues the parent's path or stands on its own.
 *
 * @example
 * resolveLakePath('data/main/', 'sales/', true) // → 'data/main/sales/'
 * resolveLakePath('data/main/', '/mnt/sales/', false) // → '/mnt/sales/'
 */
export function resolveLakePath(parent: string, path: string | null, pathIsRelative: boolean | null): string {
  // A missing flag is read as relative, the only kind older catalogs wrote.
  if (pathIsRelative === false) return path ?? '';
  return joinLakePath(parent, path ?? '');
}

/**
 * True for `s3://…`, `https://…` and other scheme-prefixed locations, which are never
 * relative to the catalog file's folder.
 *
 * @example
 * isUrl('s3://bucket/lake/') // → true
 * isUrl('data/') // → false
 */
export function isUrl(path: string): boolean {
  // Two letters at least, so a Windows drive letter (C:/…) is not a scheme.
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(path);
}
