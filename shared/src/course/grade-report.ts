import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { CurriculumStage, Exercise } from './curriculum.ts';
import { needsCompilingPrefix, stripOnlyAdvice } from './load-failure.ts';

/** The outcome of one exercise's graded tests. */
export interface ExerciseResult {
  exercise: Exercise;
  passed: boolean;
  /** Why it failed, one line: "not implemented yet" or the first failing check. */
  reason?: string;
  /** What the learner's code returned beside what was expected, when a comparison failed. */
  comparison?: string;
  /** What to do instead, when the reason alone does not say (TypeScript Node cannot run). */
  advice?: string;
  /** The SQL the learner's code ran, when it failed in DuckDB. */
  sql?: string;
  /** Tests that passed / ran in the exercise's test file. */
  testsPassed: number;
  testsTotal: number;
}

/** Raw results of one test file, as the test runner reports them. */
export interface TestFileResult {
  /** Absolute path of the test file. */
  file: string;
  tests: Array<{ name: string; passed: boolean; error?: TestFailure }>;
  /** An error that stopped the whole file (a failing import or beforeAll). */
  fileError?: TestFailure;
}

/** One failed assertion or thrown error, as the test runner reports it. */
export interface TestFailure {
  name?: string;
  message: string;
  /** The runner's diff of expected and received values ("- Expected / + Received"). */
  diff?: string;
  /** The statement, when the error came from DuckDB (see SqlError). */
  sql?: string;
}

/**
 * Matches test files to exercises and decides pass/fail per exercise: an exercise
 * passes when its file ran at least one test and every test passed.
 *
 * @example
 * gradeExercises(stage.exercises, results)[0] // → { exercise, passed: false, reason: 'not implemented yet', … }
 */
export function gradeExercises(exercises: Exercise[], results: TestFileResult[]): ExerciseResult[] {
  return exercises.map((exercise) => {
    const suffix = `/tests/${exercise.dir}/${exercise.name}.test.ts`;
    const result = results.find((candidate) => candidate.file.replaceAll('\\', '/').endsWith(suffix));
    if (!result) {
      return {
        exercise,
        passed: false,
        reason: `no graded tests found (tests${suffix.slice(6)})`,
        testsPassed: 0,
        testsTotal: 0,
      };
    }
    const testsPassed = result.tests.filter((test) => test.passed).length;
    const testsTotal = result.tests.length;
    const firstFailure = result.fileError ?? result.tests.find((test) => !test.passed)?.error;
    const failedTest = result.tests.find((test) => !test.passed);
    const passed = !result.fileError && testsTotal > 0 && testsPassed === testsTotal;
    if (passed) return { exercise, passed, testsPassed, testsTotal };
    const root = result.file.replaceAll('\\', '/').slice(0, -suffix.length);
    const reason = describeFailure(failedTest?.name, firstFailure, root);
    const comparison = reason === 'not implemented yet' ? undefined : describeComparison(firstFailure?.diff);
    return {
      exercise,
      passed,
      reason,
      ...(reason.startsWith(needsCompilingPrefix) ? { advice: `${stripOnlyAdvice}.` } : {}),
      ...(comparison ? { comparison } : {}),
      ...(firstFailure?.sql && reason !== 'not implemented yet' ? { sql: firstFailure.sql } : {}),
      testsPassed,
      testsTotal,
    };
  });
}

/** "not implemented yet" for untouched exercises; otherwise the check that failed and why. */
function describeFailure(testName: string | undefined, error: TestFailure | undefined, root: string): string {
  if (!error) return 'no tests ran';
  if (error.name === 'NotImplementedError' || error.message.includes('is not implemented yet')) {
    return 'not implemented yet';
  }
  const unparsed = parseFailure(error.message, root);
  if (unparsed) return unparsed;
  // From stripOnlyPlugin: the place is absolute; show it from the course folder.
  if (error.message.startsWith(needsCompilingPrefix)) return error.message.replaceAll(`${root}/`, '');
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return testName ? `${testName}: ${firstLine}` : firstLine;
}

/**
 * A file that does not parse fails before any check ran, with the transformer's report:
 * "Transform failed with 1 error:", then what (`[PARSE_ERROR] Expected …`) and where
 * (`╭─[ ../exercises/…/x.ts:51:34 ]`, from the working folder) on lines of their own,
 * in colour. Both in one line, the file shown from the course folder; undefined for any
 * other failure.
 *
 * @example
 * parseFailure(message, root) // → 'does not parse: exercises/01-star-schema/x.ts:51:34: Expected `,` or `)` but found `;`'
 */
function parseFailure(message: string, root: string): string | undefined {
  const plain = stripVTControlCharacters(message);
  if (!/^Transform failed with \d+ errors?:/.test(plain)) return undefined;
  const what = /^\[[A-Z_]+\] (.+)$/m.exec(plain)?.[1];
  const where = /╭─\[ (.+?) \]/.exec(plain)?.[1];
  if (!what || !where) return undefined;
  const file = resolve(where).replaceAll('\\', '/');
  return `does not parse: ${file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file}: ${what}`;
}

/**
 * The runner's diff relabelled for a learner: `-` lines are what the test expected, `+`
 * lines what their code returned. Long diffs keep their first 24 lines.
 *
 * @example
 * describeComparison('- Expected\n+ Received\n\n- 3\n+ 2') // → '- expected\n+ your code\n\n- 3\n+ 2'
 */
export function describeComparison(diff: string | undefined): string | undefined {
  if (!diff) return undefined;
  const lines = stripVTControlCharacters(diff)
    .replace(/^- Expected(\s*)\n\+ Received/, '- expected$1\n+ your code')
    .trimEnd()
    .split('\n');
  const shown = lines.slice(0, 24);
  if (lines.length > shown.length) shown.push(`  … ${lines.length - shown.length} more lines`);
  return shown.join('\n');
}

/**
 * The first exercise (in curriculum order) that does not pass yet, if any.
 *
 * @example
 * nextExercise(results)?.exercise.name // → 'date-dimension'
 */
export function nextExercise(results: ExerciseResult[]): ExerciseResult | undefined {
  return results.find((result) => !result.passed);
}

/** Results grouped back by stage, for the all-stages progress view. */
export function byStage(stages: CurriculumStage[], results: ExerciseResult[]) {
  return stages.map((stage) => ({
    stage,
    results: results.filter((result) => result.exercise.stage === stage.stage),
  }));
}
