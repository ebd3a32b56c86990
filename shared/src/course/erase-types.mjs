// Erasing a TypeScript file's types the way Node 22.18+ does (swc's strip-only mode): the
// one rule for what a learner's exercise may contain, shared by the hooks that run the
// course on older Nodes (strip-types-hooks.mjs) and by `pnpm grade` (strip-only-plugin.ts),
// so an enum that Node refuses never passes a grade. Plain JavaScript: the hooks need it
// before anything can run TypeScript.
import { createRequire } from 'node:module';

/** @type {undefined | ((source: string, options: object) => { code: string })} */
let transformSync;

/**
 * The source with its types replaced by spaces (every line and column stays where it
 * was), or the SyntaxError Node 22.18+ throws for it: its code says whether the source
 * does not parse (`ERR_INVALID_TYPESCRIPT_SYNTAX`) or needs more than erasing, such as an
 * enum (`ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`); its stack starts with the place
 * (`/path/file.ts:12`) and the line, as load-failure.ts expects.
 *
 * @param {string} source
 * @param {string} path
 * @returns {string}
 */
export function eraseTypes(source, path) {
  // Loaded on first use: swc's WebAssembly takes ~50 ms to start.
  transformSync ??= createRequire(import.meta.url)('@swc/wasm-typescript').transformSync;
  try {
    return transformSync(source, { mode: 'strip-only', filename: path }).code;
  } catch (error) {
    throw swcFailure(error, path);
  }
}

function swcFailure(error, path) {
  // swc reports { code: 'InvalidSyntax' | 'UnsupportedSyntax', message, startLine, snippet }.
  if (typeof error !== 'object' || error === null || !('startLine' in error)) return error;
  const failure = new SyntaxError(error.message);
  failure.code =
    error.code === 'UnsupportedSyntax' ? 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' : 'ERR_INVALID_TYPESCRIPT_SYNTAX';
  failure.stack = `${path}:${error.startLine}\n${error.snippet}\n${failure.name} [${failure.code}]: ${error.message}`;
  return failure;
}
