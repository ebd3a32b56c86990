import { ExerciseError, InputFileError, NotImplementedError, UsageError } from '@mart/shared';

/**
 * Why a failure is not worth retrying, or undefined when it may pass. A retry policy is
 * for passing trouble (the S3 server restarting, a lock held a moment); a wrong input
 * file, a bad flag or a bug in an exercise fails the same way on every attempt, so
 * retrying only makes the learner wait (Dagster's `Failure(allow_retries=False)`). A
 * step's own code can say so too, with `allowRetries: false` on its error.
 *
 * @example
 * whyNotRetried(new InputFileError('sales.csv', 'unexpected column "quantty"', { line: 1, column: 7 }))
 * // → 'a retry would read the same file'
 */
export function whyNotRetried(error: unknown): string | undefined {
  if (error instanceof InputFileError) return 'a retry would read the same file';
  if (error instanceof ExerciseError || error instanceof NotImplementedError) {
    return 'a retry would run the same exercise code';
  }
  if (error instanceof UsageError) return 'a retry would get the same arguments';
  if (error instanceof Error && (error as { allowRetries?: unknown }).allowRetries === false) {
    return 'the step said a retry cannot help';
  }
  return undefined;
}
