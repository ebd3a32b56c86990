import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ObjectStore } from './object-store.ts';

/**
 * A folder used as an object store: key `a/b.parquet` is the file `<root>/a/b.parquet`.
 * A pulled lake (`lake pull DIR`) is read through it, and tests use it where S3 is not
 * what they are about.
 */
export function localObjectStore(root: string): ObjectStore {
  const pathOf = (key: string) => join(root, ...key.split('/'));
  return {
    description: root,
    urlPrefix: `${pathToFileURL(root).href}/`,
    async put(key, localPath) {
      mkdirSync(dirname(pathOf(key)), { recursive: true });
      copyFileSync(localPath, pathOf(key));
    },
    async get(key, localPath) {
      mkdirSync(dirname(localPath), { recursive: true });
      copyFileSync(pathOf(key), localPath);
    },
    async list(prefix) {
      if (!existsSync(root)) return [];
      return walk(root)
        .map((file) => ({ key: relative(root, file).split(sep).join('/'), size: statSync(file).size }))
        .filter((object) => object.key.startsWith(prefix))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async delete(keys) {
      for (const key of keys) rmSync(pathOf(key), { force: true });
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
