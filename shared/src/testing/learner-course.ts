import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCurriculum } from '../course/curriculum.ts';
import { todoVersion } from '../course/todo-version.ts';
import { repoRoot } from '../paths.ts';
import { tempDir } from './temp-dir.ts';

/** A learner's copy of the course in a temporary folder (see {@link learnerCourse}). */
export interface LearnerCourse {
  /** The course folder: pass it as `MART_REPO_ROOT` (CLI) or `root` (invoke). */
  root: string;
  /** `<root>/exercises`, for `pnpm grade --track`. */
  exercises: string;
  /** Writes the reference solution into the learner's exercise `<dir>/<name>`. */
  solve(key: string): void;
  /** Solves every exercise of a stage folder, e.g. `01-star-schema`. */
  solveStage(dir: string): void;
  /** Writes the reference solution with one text replaced: a planted bug. */
  plant(key: string, search: string, replacement: string): void;
  /** Deletes the folder. */
  remove(): void;
}

/**
 * A copy of the course as a learner who has not started has it: exercises/ holds fresh
 * TODO versions of every piece (whatever state the real exercises/ is in); solutions/,
 * data/seeds/ and node_modules point at the real ones. Tests plant bugs in it and run the real CLI
 * against it, so `--mine` and grading are tested the way learners meet them, and a
 * learner's real files are never touched.
 *
 * @example
 * const course = learnerCourse();
 * course.plant('01-star-schema/revenue-by-month', 'f.amount', 'f.amout');
 * runCli(['stage', '1', 'build', '--mine'], { MART_REPO_ROOT: course.root });
 */
export function learnerCourse(): LearnerCourse {
  const temp = tempDir('course');
  const real = repoRoot();
  const exercises = join(temp.path, 'exercises');
  writeFileSync(join(temp.path, 'pnpm-workspace.yaml'), 'packages: []\n');
  // The TypeScript settings the trees extend (vitest's transformer reads them).
  symlinkSync(join(real, 'tsconfig.base.json'), join(temp.path, 'tsconfig.base.json'));
  // The reference pieces and the packages the exercises import resolve to the real ones.
  symlinkSync(join(real, 'solutions'), join(temp.path, 'solutions'), 'dir');
  mkdirSync(join(temp.path, 'data'));
  symlinkSync(join(real, 'data', 'seeds'), join(temp.path, 'data', 'seeds'), 'dir');
  mkdirSync(exercises);
  symlinkSync(join(real, 'exercises', 'node_modules'), join(exercises, 'node_modules'), 'dir');
  cpSync(join(real, 'exercises', 'info.yaml'), join(exercises, 'info.yaml'));
  for (const stage of loadCurriculum(real)) {
    mkdirSync(join(exercises, stage.dir));
    for (const file of readdirSync(join(real, 'solutions', stage.dir)).filter((name) => name.endsWith('.ts'))) {
      const solution = readFileSync(join(real, 'solutions', stage.dir, file), 'utf8');
      writeFileSync(
        join(exercises, stage.dir, file),
        todoVersion(solution, { key: `${stage.dir}/${file.slice(0, -3)}` }),
      );
    }
  }
  const solution = (key: string) => readFileSync(join(real, 'solutions', `${key}.ts`), 'utf8');
  return {
    root: temp.path,
    exercises,
    solve(key) {
      writeFileSync(join(exercises, `${key}.ts`), solution(key));
    },
    solveStage(dir) {
      const stage = loadCurriculum(real).find((candidate) => candidate.dir === dir);
      if (!stage) throw new Error(`No stage folder ${dir} in exercises/info.yaml.`);
      for (const exercise of stage.exercises) this.solve(exercise.key);
    },
    plant(key, search, replacement) {
      const text = solution(key);
      if (!text.includes(search)) throw new Error(`solutions/${key}.ts has no "${search}" to replace.`);
      writeFileSync(join(exercises, `${key}.ts`), text.replace(search, replacement));
    },
    remove: temp.remove,
  };
}
