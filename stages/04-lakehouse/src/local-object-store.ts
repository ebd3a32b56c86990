import { randomUUID } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
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
      // As S3's get: never a half-copied file under the final name.
      const temp = `${localPath}.${randomUUID().slice(0, 8)}.part`;
      try {
        copyFileSync(pathOf(key), temp);
        renameSync(temp, localPath);
      } finally {
        rmSync(temp, { force: true });
      }
    },
    async getRange(key, start, end) {
      const bytes = new Uint8Array(end - start);
      const fd = openSync(pathOf(key), 'r');
      try {
        let done = 0;
        while (done < bytes.length) {
          const read = readSync(fd, bytes, done, bytes.length - done, start + done);
          if (read === 0) throw new Error(`${pathOf(key)} ends before byte ${end}: ${start + done} bytes there.`);
          done += read;
        }
      } finally {
        closeSync(fd);
      }
      return bytes;
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
