import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@mart/shared';
import { learnerCourse, runCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';

// The real command line, in a child process, as a learner types it (minus `pnpm`).
describe('stage 1 on the command line', () => {
  const temp = tempDir('stage-01-cli');
  const env = { MART_DATA_DIR: temp.path };
  afterAll(() => temp.remove());

  test('an unknown stage exits 2 and lists the valid ones', () => {
    const run = runCli(['stage', '9', 'build'], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Unknown stage "9"');
    expect(run.stderr).toContain('1 (star-schema)');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('an unknown command exits 2 and lists the valid ones', () => {
    const run = runCli(['stage', '1', 'launch'], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Stage 1 has no command "launch"');
    expect(run.stderr).toContain('build, explore, export, inspect');
  });

  test('an unknown option or a bad option value exits 2', () => {
    const unknown = runCli(['stage', '1', 'export', '--fromat', 'csv'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--fromat');
    const badValue = runCli(['stage', '1', 'export', '--format', 'xml'], env);
    expect(badValue.status).toBe(2);
    expect(badValue.stderr).toContain('Use one of: csv, json');
  });

  test('--help works at every level', () => {
    expect(runCli(['stage', '--help']).stdout).toContain('star-schema');
    expect(runCli(['stage', '1', '--help']).stdout).toMatch(/build\s+Build the star schema/);
    const help = runCli(['stage', '1', 'explore', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--query <name>');
    expect(help.stdout).toContain('--mine');
  });

  test('stage list and stage names work like numbers', () => {
    expect(runCli(['stage', 'list']).stdout).toMatch(/1\s+star-schema/);
    expect(runCli(['stage', 'star-schema', '--help']).status).toBe(0);
  });

  test('explore before build says to build first, exit 1', () => {
    const run = runCli(['stage', '1', 'explore', '--query', 'monthly-trend'], {
      MART_DATA_DIR: join(temp.path, 'empty'),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('pnpm stage 1 build');
  });

  test('build, then a scripted query prints three JSON rows', () => {
    const build = runCli(['stage', '1', 'build'], env);
    expect(build.status).toBe(0);
    expect(existsSync(join(temp.path, 'warehouse', 'stage-01.duckdb'))).toBe(true);
    const query = runCli(
      ['stage', '1', 'explore', '--query', 'top-customers', '--limit', '3', '--format', 'json'],
      env,
    );
    expect(query.status).toBe(0);
    expect(JSON.parse(query.stdout)).toHaveLength(3);
  });

  test('a warehouse held open by another process is refused clearly and left intact', async () => {
    expect(runCli(['stage', '1', 'build'], env).status).toBe(0);
    const file = join(temp.path, 'warehouse', 'stage-01.duckdb');
    const before = readFileSync(file);
    // A second process holds the file open read-write, like a DuckDB shell would.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { DuckDBInstance } = await import(${JSON.stringify(join(repoRoot(), 'shared', 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js'))});
         const db = await DuckDBInstance.create(process.argv[1]); await db.connect(); console.log('ready'); setInterval(() => {}, 1000);`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const run = runCli(['stage', '1', 'build'], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('is open in another process');
      expect(run.stderr).toContain(`PID ${holder.pid}`);
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      holder.kill();
    }
  });
});

// --mine as a learner meets it: their own copy of the course, untouched, then with a bug
// planted, then solved. Never the real exercises/, whatever state they are in.
describe('stage 1 --mine', () => {
  const temp = tempDir('stage-01-mine');
  const course = learnerCourse();
  const env = { MART_DATA_DIR: temp.path, MART_REPO_ROOT: course.root };
  afterAll(() => {
    course.remove();
    temp.remove();
  });

  test('untouched exercises: the first one says it is not implemented, and how to get a hint', () => {
    const run = runCli(['stage', '1', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Exercise 01-star-schema/surrogate-keys is not implemented yet.');
    expect(run.stderr).toContain('`pnpm hint 1 surrogate-keys`');
    expect(run.stderr).not.toContain('Hint:'); // the nudge only when asked for
    expect(run.stderr).toContain('Pieces: yours for stage 1 (exercises/01-star-schema/).');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test("a bug in the learner's SQL names their exercise, their line and the SQL, never our bug", () => {
    course.solveStage('01-star-schema');
    course.plant('01-star-schema/revenue-by-month', 'sum(f.amount)::double', 'sum(f.amout)::double');
    expect(runCli(['stage', '1', 'build', '--mine'], env).status).toBe(0);
    const run = runCli(['stage', '1', 'explore', '--query', 'monthly-trend', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('✖ Your exercise 01-star-schema/revenue-by-month failed: Binder Error');
    expect(run.stderr).toMatch(/ {2}at exercises\/01-star-schema\/revenue-by-month\.ts:\d+:\d+\n/);
    expect(run.stderr).toContain('The SQL it ran:');
    expect(run.stderr).toContain('sum(f.amout)::double');
    expect(run.stderr).not.toContain('bug in Mini Data Mart');
  });

  test('a TypeError in a TypeScript piece names the exercise and the line', () => {
    course.solveStage('01-star-schema');
    course.plant(
      '01-star-schema/surrogate-keys',
      'const sorted = [...naturalKeys].sort();',
      'const sorted = [...naturalKeys].sort();\n  (undefined as unknown as string[]).push("x");',
    );
    const run = runCli(['stage', '1', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '✖ Your exercise 01-star-schema/surrogate-keys failed: Cannot read properties of undefined',
    );
    expect(run.stderr).toMatch(/at exercises\/01-star-schema\/surrogate-keys\.ts:\d+:\d+/);
  });

  // Node 22.18+ and 24 erase the exercises' types themselves, older Nodes through our
  // strip-types hooks (see typescript-loader.mjs): CI runs this on both, and both must say where.
  test('a typo that stops the file from parsing names the file and the line, before anything runs', () => {
    course.solveStage('01-star-schema');
    course.plant('01-star-schema/surrogate-keys', 'const sorted = [...naturalKeys].sort();', 'const sorted = ;');
    const run = runCli(['stage', '1', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /could not be loaded: exercises\/01-star-schema\/surrogate-keys\.ts:29: Expression expected/,
    );
    expect(run.stderr).not.toContain(course.root);
    expect(run.stderr).toContain('`pnpm grade 1`');
    expect(run.stderr).not.toContain('bug in Mini Data Mart');
  });

  test('TypeScript that needs compiling (an enum) is refused with the file, the line and what to write instead', () => {
    course.solveStage('01-star-schema');
    course.plant(
      '01-star-schema/surrogate-keys',
      'const sorted = [...naturalKeys].sort();',
      'enum Order { Asc }\n  const sorted = [...naturalKeys].sort();\n  void Order.Asc;',
    );
    const run = runCli(['stage', '1', 'build', '--mine'], env);
    // Refused on every Node: older ones erase types with the same transformer (swc's strip-only mode).
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/exercises\/01-star-schema\/surrogate-keys\.ts:\d+: TypeScript enum is not supported/);
    expect(run.stderr).toContain('a union of strings instead of an enum');
  });

  test('finished exercises: build --mine runs them and says whose pieces ran', () => {
    course.solveStage('01-star-schema');
    const run = runCli(['stage', '1', 'build', '--mine'], env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('Pieces: yours for stage 1 (exercises/01-star-schema/).');
    const json = runCli(
      ['stage', '1', 'explore', '--query', 'top-customers', '--limit', '2', '--format', 'json', '--mine'],
      env,
    );
    expect(JSON.parse(json.stdout)).toHaveLength(2); // the note went to stderr, the JSON stays clean
  });
});
