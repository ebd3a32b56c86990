import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import type { Exercise } from './curriculum.ts';
import { todoVersion } from './todo-version.ts';

/**
 * Paths of an exercise's three files: the learner's, the reference and the graded test.
 *
 * @example
 * exerciseFiles(exercise).mine // → …/exercises/01-star-schema/date-dimension.ts
 */
export function exerciseFiles(exercise: Exercise, root: string = repoRoot()) {
  return {
    mine: join(root, 'exercises', exercise.dir, `${exercise.name}.ts`),
    solution: join(root, 'solutions', exercise.dir, `${exercise.name}.ts`),
    test: join(root, 'tests', exercise.dir, `${exercise.name}.test.ts`),
  };
}

/**
 * The pristine TODO text of an exercise, derived from its solution (see todoVersion).
 *
 * @example
 * pristineExercise(exercise).includes('NotImplementedError') // → true
 */
export function pristineExercise(exercise: Exercise, root: string = repoRoot()): string {
  return todoVersion(readFileSync(exerciseFiles(exercise, root).solution, 'utf8'), exercise);
}
