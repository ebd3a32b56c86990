import { readFileSync } from 'node:fs';

/** The files under /static/: the pages' scripts and stylesheet, beside this module in client/. */
const types: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'live.js': 'text/javascript; charset=utf-8',
  'runs.js': 'text/javascript; charset=utf-8',
  'run.js': 'text/javascript; charset=utf-8',
};

/** A static file's type and bytes, or undefined for any name not in the list (no path tricks). */
export function staticFile(name: string): { type: string; body: Buffer } | undefined {
  const type = types[name];
  if (!type) return undefined;
  return { type, body: readFileSync(new URL(`./client/${name}`, import.meta.url)) };
}
