// Module hooks for Nodes that cannot run TypeScript themselves (before 22.18): registered by
// typescript-loader.mjs, they do what Node 22.18+ does, and only that. A `.ts` file's types
// are erased (replaced by spaces, so every line and column stays where it was: stack traces
// need no source maps), with the same transformer Node uses (swc's strip-only mode, see
// erase-types.mjs), so a learner's exercise behaves alike on every Node: an enum is refused
// on each.
//
// Why not tsx: its hooks resolve every import themselves and compile with esbuild; these
// leave resolving to Node and see only the course's own `.ts` files. Node 20 runs hooks on
// a thread of their own, so the less they do per module the sooner a command starts.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eraseTypes } from './erase-types.mjs';

/** @type {string} folder of erased files, named by a hash of their source */
let cacheDir;

/** @param {{ cacheDir: string }} data */
export function initialize(data) {
  cacheDir = data.cacheDir;
}

/**
 * @param {string} url
 * @param {{ format?: string | null }} context
 * @param {(url: string, context?: object) => Promise<{ format: string, source: unknown }>} nextLoad
 */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  // Every package of the course is `"type": "module"`, so a `.ts` file is an ES module.
  return { format: 'module', source: await erased(source, path), shortCircuit: true };
}

/** The source with its types erased: from the cache when this exact source was erased before. */
async function erased(source, path) {
  const cached = join(cacheDir, `${createHash('sha1').update(source).digest('hex')}.js`);
  try {
    return await readFile(cached, 'utf8');
  } catch {
    // Not erased yet (or the cache was cleared): erase it now, below.
  }
  const code = eraseTypes(source, path);
  // Written under a temporary name and renamed, so a command stopped half-way (Ctrl-C)
  // never leaves half a file that a later command would take for the whole.
  const partial = `${cached}.${process.pid}.part`;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(partial, code);
  await rename(partial, cached);
  return code;
}
