import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCurriculum } from '../src/course/curriculum.ts';
import { courseMain } from '../src/course/main.ts';
import { todoVersion } from '../src/course/todo-version.ts';
import { repoRoot } from '../src/paths.ts';
import { captureIo as capture } from '../src/testing/capture-io.ts';
import { fakeTerminal } from '../src/testing/fake-terminal.ts';
import { runCli } from '../src/testing/run-cli.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

/**
 * A copy of the course whose exercises/ are freshly generated TODO versions, so these
 * tests mean the same on CI and on a learner's laptop halfway through the exercises,
 * and `reset` never touches the learner's real files.
 */
function pristineCourse(): { root: string; remove(): void } {
  const temp = tempDir('course');
  const root = repoRoot();
  writeFileSync(join(temp.path, 'pnpm-workspace.yaml'), 'packages: []\n');
  cpSync(join(root, 'solutions'), join(temp.path, 'solutions'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  mkdirSync(join(temp.path, 'exercises'));
  cpSync(join(root, 'exercises', 'info.yaml'), join(temp.path, 'exercises', 'info.yaml'));
  for (const stage of loadCurriculum(root)) {
    mkdirSync(join(temp.path, 'exercises', stage.dir));
    for (const file of readdirSync(join(root, 'solutions', stage.dir)).filter((name) => name.endsWith('.ts'))) {
      const solution = readFileSync(join(root, 'solutions', stage.dir, file), 'utf8');
      const todo = todoVersion(solution, { key: `${stage.dir}/${file.slice(0, -3)}` });
      writeFileSync(join(temp.path, 'exercises', stage.dir, file), todo);
    }
  }
  return { root: temp.path, remove: temp.remove };
}

const stage1 = loadCurriculum().find((stage) => stage.stage === 1);
const exerciseCount = stage1?.exercises.length ?? 0;

describe('the grading loop', () => {
  let course: { root: string; remove(): void };
  beforeAll(() => {
    course = pristineCourse();
  });
  afterAll(() => {
    delete process.env.MART_REPO_ROOT;
    course.remove();
  });

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

    test(`stage ${stage.stage}: untouched exercises compile, score 0, and every failure says "not implemented yet" with its hint`, () => {
      const run = runCli(['grade', String(stage.stage), '--track', join(course.root, 'exercises')]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`Score: 0/${count} (0%)`);
      expect(run.stdout.match(/✗ .* not implemented yet/g)).toHaveLength(count);
      expect(run.stdout.match(/Hint: /g)).toHaveLength(count);
      expect(run.stdout).toContain(`Next: stage ${stage.stage}, ${stage.exercises[0]?.name}`);
      expect(run.stdout).not.toMatch(/\n\s+at /); // never a crash dump
      expect(run.stderr).toBe('');
    });
  }

  test('one solved exercise among untouched ones scores 1 and the next exercise moves on', () => {
    const first = stage1?.exercises[0];
    if (!first) throw new Error('stage 1 has no exercises');
    const track = join(course.root, 'partial');
    cpSync(join(course.root, 'exercises'), track, { recursive: true });
    cpSync(join(repoRoot(), 'solutions', first.dir, `${first.name}.ts`), join(track, first.dir, `${first.name}.ts`));
    const run = runCli(['grade', '1', '--track', track]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`Score: 1/${exerciseCount}`);
    expect(run.stdout).toContain(`Next: stage 1, ${stage1?.exercises[1]?.name}`);
  });

  test('--watch re-grades when an exercise file is saved (with --poll, the fallback for event-less file systems)', async () => {
    const first = stage1?.exercises[0];
    if (!first) throw new Error('stage 1 has no exercises');
    const track = join(course.root, 'watched');
    cpSync(join(course.root, 'exercises'), track, { recursive: true });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot(), 'shared', 'src', 'course', 'bin.ts'),
        'grade',
        '1',
        '--watch',
        '--poll',
        '--track',
        track,
      ],
      { cwd: repoRoot(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
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
    process.env.MART_REPO_ROOT = course.root;
    const out = capture();
    expect(await courseMain(['diff', '1', 'top-customers'], out.io)).toBe(0);
    const text = out.text();
    expect(text).toContain('--- exercises/01-star-schema/top-customers.ts');
    expect(text).toContain('+++ solutions/01-star-schema/top-customers.ts');
    expect(text).toContain("-  throw new NotImplementedError('01-star-schema/top-customers');");
    expect(text).toContain('+      limit $1`,');
    expect(text).not.toContain('date-dimension');
  });

  test('reset asks, and only on yes restores the TODO version', async () => {
    process.env.MART_REPO_ROOT = course.root;
    const file = join(course.root, 'exercises', '01-star-schema', 'top-customers.ts');
    const pristine = readFileSync(file, 'utf8');
    writeFileSync(file, `${pristine}\n// my work in progress\n`);

    const no = fakeTerminal();
    const declined = courseMain(['reset', '1', 'top-customers'], no.io);
    await no.waitFor('Yes / ● No');
    await no.press('enter'); // default answer is No
    expect(await declined).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('my work in progress');

    const yes = fakeTerminal();
    const accepted = courseMain(['reset', '1', 'top-customers'], yes.io);
    await yes.waitFor('Yes / ● No');
    await yes.press('left', 'enter');
    expect(await accepted).toBe(0);
    await sleep(10);
    expect(readFileSync(file, 'utf8')).toBe(pristine);
    expect(yes.screen()).toContain('Reset exercises/01-star-schema/top-customers.ts');
  });

  test('hint prints the exercise hint; unknown stage or exercise is a usage error', async () => {
    const out = capture();
    expect(await courseMain(['hint', '1', 'date-dimension'], out.io)).toBe(0);
    expect(out.text()).toContain('getUTCDay()');
    await expect(courseMain(['hint', '1', 'nope'], out.io)).rejects.toMatchObject({ exitCode: 2 });
    await expect(courseMain(['grade', '9'], out.io)).rejects.toMatchObject({ exitCode: 2 });
  });
});
