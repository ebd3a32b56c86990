// Loaded with `node --import` before the course CLI (see the root package.json).
//
// Node 22.18+ and 24 run TypeScript files themselves: they strip the types, which is all
// this code base needs (tsconfig's erasableSyntaxOnly keeps it so: no enums, namespaces or
// parameter properties). Older Nodes get tsx's loader instead. Why not always tsx: its
// loader runs on a thread of its own, and every one of the ~1,300 files a command imports
// goes through it, which costs each command about 0.2 s.
if (!process.features.typescript) await import('tsx');
