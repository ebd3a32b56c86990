// Loaded with `node --import` before the course CLI (see the root package.json): the two
// things that make a command start fast.
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const cache = (name) => fileURLToPath(new URL(`../../../node_modules/.cache/${name}`, import.meta.url));

// Node 22.18+ and 24 run TypeScript files themselves: they strip the types, which is all
// this code base needs (tsconfig's erasableSyntaxOnly keeps it so: no enums, namespaces or
// parameter properties). Older Nodes get hooks that do the same (strip-types-hooks.mjs),
// keeping what they erased in a cache folder.
if (!process.features.typescript) {
  module.register('./strip-types-hooks.mjs', import.meta.url, { data: { cacheDir: cache('strip-types') } });
}

// Node 22.1+ keeps the code V8 compiled for each file it loads in a cache folder, and
// reuses it while the file is unchanged (it checks a hash of the source): a command then
// starts about 0.2 s sooner. The folder is this checkout's, beside the other tools' caches.
module.enableCompileCache?.(cache('node-compile-cache'));
