// Loaded with `node --import` before the course CLI (see the root package.json): the two
// things that make a command start fast.
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.18+ and 24 run TypeScript files themselves: they strip the types, which is all
// this code base needs (tsconfig's erasableSyntaxOnly keeps it so: no enums, namespaces or
// parameter properties). Older Nodes get tsx's loader instead. Why not always tsx: its
// loader runs on a thread of its own, and every one of the ~1,300 files a command imports
// goes through it, which costs each command about 0.2 s.
if (!process.features.typescript) await import('tsx');

// Node 22.1+ keeps the code V8 compiled for each file it loads in a cache folder, and
// reuses it while the file is unchanged (it checks a hash of the source): a command then
// starts about 0.2 s sooner. The folder is this checkout's, beside the other tools' caches.
module.enableCompileCache?.(fileURLToPath(new URL('../../../node_modules/.cache/node-compile-cache', import.meta.url)));
