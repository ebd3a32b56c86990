import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Io } from '../src/cli/io.ts';
import { loadCurriculum } from '../src/course/curriculum.ts';
import { courseMain } from '../src/course/main.ts';
import { MartPaths, repoRoot } from '../src/paths.ts';
import { captureIo as capture } from '../src/testing/capture-io.ts';
import { courseCommand } from '../src/testing/course-command.ts';
import { fakeTerminal } from '../src/testing/fake-terminal.ts';
import { type LearnerCourse, learnerCourse } from '../src/testing/learner-course.ts';
import { runCli } from '../src/testing/run-cli.ts';

/** The in-process CLI, on a course folder of its own. */
const environment = (io: Io, root?: string) => ({ io, paths: new MartPaths(root ? { root } : {}), color: false });

const stage1 = loadCurriculum().find((stage) => stage.stage === 1);
const exerciseCount = stage1?.exercises.length ?? 0;

describe('the grading loop', () => {
  let course: LearnerCourse;
  beforeAll(() => {
    course = learnerCourse();
  });
  afterAll(() => course.remove());

  // The promises every stage keeps: solutions score 100%, untouched exercises score 0
  // and fail cleanly. Checked for each stage in exercises/info.yaml.
  for (const stage of loadCurriculum()) {
    const count = stage.exercises.length;

    test(`stage ${stage.stage} has at least four exercises, each with a solution, an exercise and a graded test`, () => {
      expect(count).toBeGreaterThanOrEqual(4);
      const root = repoRoot();
      for (const exercise of stage.exercises) {
        for (const dir of ['exercises', 'solutions']) {
          expect(readdirSync(join(root, dir, exercise.dir))).toContain(`${exercise.name}.ts`);
        }
        expect(readdirSync(join(root, 'tests', exercise.dir))).toContain(`${exercise.name}.test.ts`);
      }
    });

    test(`stage ${stage.stage}: the reference solutions score 100% and exit 0`, () => {
      const run = runCli(['grade', String(stage.stage), '--solutions']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Score: ${count}/${count} (100%)`);
      expect(run.stdout.match(/✓/g)).toHaveLength(count);
    });

    test(`stage ${stage.stage}: untouched exercises compile, score 0, say "not implemented yet", and give no hint unasked`, () => {
      const run = runCli(['grade', String(stage.stage), '--track', course.exercises]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`Score: 0/${count} (0%)`);
      expect(run.stdout.match(/✗ .* not implemented yet/g)).toHaveLength(count);
      // The next exercise and the command for its hint; never the hint text itself.
      const first = stage.exercises[0];
      expect(run.stdout).toContain(`Next: stage ${stage.stage}, ${first?.name}`);
      expect(run.stdout).toContain(`Stuck?    pnpm hint ${stage.stage} ${first?.name}`);
      for (const exercise of stage.exercises) {
        expect(run.stdout).not.toContain(exercise.hint.split('\n')[0]);
        expect(run.stdout).not.toContain(exercise.recipe.split('\n')[0]);
      }
      expect(run.stdout).not.toMatch(/\n\s+at /); // never a crash dump
      expect(run.stderr).toBe('');
    });

    test(`stage ${stage.stage}: every hint's README link points at a heading that exists`, () => {
      for (const exercise of stage.exercises) {
        expect(exercise.read, `${exercise.key} has no read: link`).toBeDefined();
        const [file = '', anchor = ''] = (exercise.read ?? '').split('#');
        const readme = join(repoRoot(), file);
        expect(existsSync(readme), readme).toBe(true);
        const slugs = readFileSync(readme, 'utf8')
          .split('\n')
          .filter((line) => /^#{1,6} /.test(line))
          .map((line) =>
            line
              .replace(/^#+ /, '')
              .toLowerCase()
              .replace(/[^\p{L}\p{N} _-]/gu, '')
              .replaceAll(' ', '-'),
          );
        expect(slugs, `${exercise.key}: ${exercise.read}`).toContain(anchor);
      }
    });
  }

  test('one solved exercise among untouched ones scores 1 and the next exercise moves on', () => {
    const first = stage1?.exercises[0];
    if (!first) throw new Error('stage 1 has no exercises');
    const track = join(course.root, 'partial');
    cpSync(course.exercises, track, { recursive: true });
    cpSync(join(repoRoot(), 'solutions', first.dir, `${first.name}.ts`), join(track, first.dir, `${first.name}.ts`));
    const run = runCli(['grade', '1', '--track', track]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`Score: 1/${exerciseCount}`);
    expect(run.stdout).toContain(`Next: stage 1, ${stage1?.exercises[1]?.name}`);
  });

  test("a wrong value shows what the learner's code returned beside what was expected", () => {
    course.plant(
      '03-quality/unique',
      'const duplicates = (keyed ?? 0) - (distinct ?? 0);',
      'const duplicates = (keyed ?? 0) - (distinct ?? 0) + 1;',
    );
    try {
      const run = runCli(['grade', '3', '--track', course.exercises]);
      expect(run.status).toBe(1);
      const block = run.stdout.slice(run.stdout.indexOf('✗  2. unique'));
      expect(block).toMatch(/✗ {2}2\. unique\s+\S.*/);
      expect(block).toContain('- expected');
      expect(block).toContain('+ your code');
      expect(block).toMatch(/- +"value": 0,/);
      expect(block).toMatch(/\+ +"value": 1,/);
    } finally {
      writeFileSync(
        join(course.exercises, '03-quality', 'unique.ts'),
        readFileSync(join(repoRoot(), 'exercises', '03-quality', 'unique.ts'), 'utf8'),
      );
    }
  });

  test("a SQL error in the learner's code shows DuckDB's message and the statement", () => {
    course.plant('01-star-schema/revenue-by-month', 'sum(f.amount)::double', 'sum(f.amout)::double');
    const run = runCli(['grade', '1', '--track', course.exercises]);
    const line = run.stdout.split('\n').find((text) => text.includes('revenue-by-month')) ?? '';
    expect(line).toMatch(/✗ .*revenue-by-month .*Binder Error: .*"amout"/);
    expect(run.stdout).toContain('The SQL your code ran:');
    expect(run.stdout).toContain('sum(f.amout)::double');
  });

  test('a typo that stops an exercise file from parsing names the file, the line and the column', () => {
    course.plant('01-star-schema/revenue-by-month', 'sum(f.amount)::double', 'sum(f.amount)::double`;');
    try {
      const run = runCli(['grade', '1', '--track', course.exercises]);
      expect(run.status).toBe(1);
      // Every exercise of the stage imports the file, so each fails naming it: here the
      // tracked copy's path (in the course itself, exercises/01-star-schema/…).
      const lines = run.stdout.split('\n').filter((text) => text.includes('✗'));
      expect(lines).toHaveLength(exerciseCount);
      const file = join(course.exercises, '01-star-schema', 'revenue-by-month.ts');
      for (const line of lines) expect(line).toContain(`does not parse: ${file}:51:`);
      expect(lines[0]).toMatch(/:51:\d+: Expected `,` or `\)` but found `;`$/);
    } finally {
      writeFileSync(
        join(course.exercises, '01-star-schema', 'revenue-by-month.ts'),
        readFileSync(join(repoRoot(), 'exercises', '01-star-schema', 'revenue-by-month.ts'), 'utf8'),
      );
    }
  });

  test('an enum, which Node refuses to run, fails the grade as the stage refuses it: where, what, and what to write instead', () => {
    const file = join(course.exercises, '01-star-schema', 'revenue-by-month.ts');
    const original = readFileSync(file, 'utf8');
    // Esbuild (vitest's compiler) would accept it; the stages run exercises on Node, which does not.
    writeFileSync(file, `${original}\nexport enum Grain { Month, Day }\n`);
    try {
      const run = runCli(['grade', '1', '--track', course.exercises]);
      expect(run.status).toBe(1);
      const lines = run.stdout.split('\n').filter((text) => text.includes('✗'));
      expect(lines).toHaveLength(exerciseCount);
      const line = original.split('\n').length + 1;
      for (const text of lines) {
        expect(text).toContain(
          `Node cannot run this TypeScript: ${file}:${line}: TypeScript enum is not supported in strip-only mode`,
        );
      }
      // What to write instead, once, not under every exercise that imports the file.
      expect(run.stdout.match(/write a union of strings instead of an enum/g)).toHaveLength(1);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('--watch re-grades when an exercise file is saved (with --poll, the fallback for event-less file systems)', async () => {
    const first = stage1?.exercises[0];
    if (!first) throw new Error('stage 1 has no exercises');
    const track = join(course.root, 'watched');
    cpSync(course.exercises, track, { recursive: true });
    const child = spawn(process.execPath, courseCommand(['grade', '1', '--watch', '--poll', '--track', track]), {
      cwd: repoRoot(),
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`No "${text}" in:\n${output}`);
        await sleep(50);
      }
    };
    try {
      await waitFor(`Score: 0/${exerciseCount}`);
      await waitFor('Watching for changes');
      cpSync(join(repoRoot(), 'solutions', first.dir, `${first.name}.ts`), join(track, first.dir, `${first.name}.ts`));
      await waitFor(`Score: 1/${exerciseCount}`);
    } finally {
      child.kill();
    }
  });

  test('grade without a stage shows progress over every stage', () => {
    const run = runCli(['grade', '--solutions']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Stage 1 star-schema\s+█+ \d+\/\d+/);
  });

  test('diff shows exactly what the learner must write, as a unified diff', async () => {
    const out = capture();
    expect(await courseMain(['diff', '1', 'top-customers'], environment(out.io, course.root))).toBe(0);
    const text = out.text();
    expect(text).toContain('--- exercises/01-star-schema/top-customers.ts');
    expect(text).toContain('+++ solutions/01-star-schema/top-customers.ts');
    expect(text).toContain("-  throw new NotImplementedError('01-star-schema/top-customers');");
    expect(text).toContain('+      limit $1`,');
    expect(text).not.toContain('date-dimension');
  });

  test('reset asks, and only on yes restores the TODO version', async () => {
    const file = join(course.root, 'exercises', '01-star-schema', 'top-customers.ts');
    const pristine = readFileSync(file, 'utf8');
    writeFileSync(file, `${pristine}\n// my work in progress\n`);

    const no = fakeTerminal();
    const declined = courseMain(['reset', '1', 'top-customers'], environment(no.io, course.root));
    await no.waitFor('Yes / ● No');
    await no.press('enter'); // default answer is No
    expect(await declined).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('my work in progress');

    const yes = fakeTerminal();
    const accepted = courseMain(['reset', '1', 'top-customers'], environment(yes.io, course.root));
    await yes.waitFor('Yes / ● No');
    await yes.press('left', 'enter');
    expect(await accepted).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(pristine);
    expect(yes.screen()).toContain('Reset exercises/01-star-schema/top-customers.ts');
  });

  test('hint gives the nudge and its README section; --more gives the recipe; bad names are usage errors', async () => {
    const date = stage1?.exercises.find((exercise) => exercise.name === 'date-dimension');
    const nudge = capture();
    expect(await courseMain(['hint', '1', 'date-dimension'], environment(nudge.io))).toBe(0);
    expect(nudge.text()).toContain(date?.hint.split('\n')[0]);
    expect(nudge.text()).toContain('Read: stages/01-star-schema/README.md#');
    expect(nudge.text()).toContain('pnpm hint 1 date-dimension --more');
    expect(nudge.text()).not.toContain(date?.recipe.split('\n')[0]);

    const more = capture();
    expect(await courseMain(['hint', '1', '2', '--more'], environment(more.io))).toBe(0);
    expect(more.text()).toContain(date?.recipe.split('\n')[0]);

    // Without a terminal too: the learner's pipe or editor task.
    const cli = runCli(['hint', '1', 'date-dimension']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(date?.hint.split('\n')[0]);

    await expect(courseMain(['hint', '1', 'nope'], environment(nudge.io))).rejects.toMatchObject({ exitCode: 2 });
    await expect(courseMain(['grade', '9'], environment(nudge.io))).rejects.toMatchObject({ exitCode: 2 });
  });
});
