import type { CurriculumStage, Exercise } from './curriculum.ts';

/** The outcome of one exercise's graded tests. */
export interface ExerciseResult {
  exercise: Exercise;
  passed: boolean;
  /** Why it failed, one line: "not implemented yet" or the first failing check. */
  reason?: string;
  /** Tests that passed / ran in the exercise's test file. */
  testsPassed: number;
  testsTotal: number;
}

/** Raw results of one test file, as the test runner reports them. */
export interface TestFileResult {
  /** Absolute path of the test file. */
  file: string;
  tests: Array<{ name: string; passed: boolean; error?: { name?: string; message: string } }>;
  /** An error that stopped the whole file (a failing import or beforeAll). */
  fileError?: { name?: string; message: string };
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
    return { exercise, passed, reason: describeFailure(failedTest?.name, firstFailure), testsPassed, testsTotal };
  });
}

/** "not implemented yet" for untouched exercises; otherwise the check that failed and why. */
function describeFailure(testName: string | undefined, error: { name?: string; message: string } | undefined): string {
  if (!error) return 'no tests ran';
  if (error.name === 'NotImplementedError' || error.message.includes('is not implemented yet')) {
    return 'not implemented yet';
  }
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return testName ? `${testName}: ${firstLine}` : firstLine;
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
