import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../src/testing/temp-dir.ts';

// The hooks run TypeScript on Nodes before 22.18 (typescript-loader.mjs registers them only
// there). Here they are registered by hand, so they are tested on every Node CI runs.
const hooks = pathToFileURL(join(import.meta.dirname, '..', 'src', 'course', 'strip-types-hooks.mjs')).href;

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('strip-types');
});
afterEach(() => temp.remove());

const cacheDir = () => join(temp.path, 'cache');

/** Runs `main.ts` of the temp folder in a fresh Node with only the hooks registered. */
function runTs(files: Record<string, string>) {
  for (const [name, source] of Object.entries(files)) writeFileSync(join(temp.path, name), source);
  const register = `import { register } from 'node:module';
register(${JSON.stringify(hooks)}, { data: { cacheDir: ${JSON.stringify(cacheDir())} } });`;
  const main = join(temp.path, 'main.ts');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '-e',
      `import(${JSON.stringify(pathToFileURL(main).href)})`,
    ],
    { encoding: 'utf8', cwd: temp.path },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, main };
}

describe('strip-types hooks: what Node 22.18+ does with a .ts file, on older Nodes', () => {
  test('types are erased in place: the module runs, imports another .ts file, and an error keeps its line and column', () => {
    const run = runTs({
      'total.ts':
        'export interface Line { qty: number }\nexport const total = (lines: Line[]): number => lines.reduce((sum, l) => sum + l.qty, 0);\n',
      'main.ts': [
        "import { total, type Line } from './total.ts';",
        'const lines: Line[] = [{ qty: 2 }, { qty: 3 }];',
        'console.log(`total ${total(lines)}`);',
        'const at = (): string => new Error("here").stack?.split("\\n")[1] ?? "";',
        'console.log(at());',
      ].join('\n'),
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [printed, frame] = run.stdout.trim().split('\n');
    expect(printed).toBe('total 5');
    // Line 4, column 26 of main.ts: where `new Error` stands in the TypeScript source.
    expect(frame).toContain(`${pathToFileURL(run.main).href}:4:26`);
  });

  test('each erased file is kept in the cache folder, named by its source, with no partial files left', () => {
    const source = 'const n: number = 1;\nconsole.log("n", n);\n';
    expect(runTs({ 'main.ts': source }).stdout).toBe('n 1\n');
    const cached = readdirSync(cacheDir());
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(/^[0-9a-f]{40}\.js$/);
    expect(readFileSync(join(cacheDir(), cached[0] ?? ''), 'utf8')).toBe(
      'const n         = 1;\nconsole.log("n", n);\n',
    );

    // The next run of the same source takes the cached text rather than erasing again.
    writeFileSync(join(cacheDir(), cached[0] ?? ''), 'console.log("from the cache");\n');
    expect(runTs({ 'main.ts': source }).stdout).toBe('from the cache\n');
    // A changed source is a different name: erased afresh.
    expect(runTs({ 'main.ts': `${source}console.log('changed');\n` }).stdout).toBe('n 1\nchanged\n');
    expect(readdirSync(cacheDir()).sort()).toHaveLength(2);
  });

  test('a source that does not parse fails as Node fails: the file and line first, then what', () => {
    const run = runTs({ 'main.ts': 'const a: number = 1;\nconst b = ;\n' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${run.main}:2\n`);
    expect(run.stderr).toContain('SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: Expression expected');
  });

  test('TypeScript that needs compiling (an enum) is refused, as Node refuses it', () => {
    const run = runTs({ 'main.ts': 'enum Order { Asc }\nconsole.log(Order.Asc);\n' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${run.main}:1\n`);
    expect(run.stderr).toContain('SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not supported');
    expect(readdirSync(temp.path)).not.toContain('cache');
  });
});
