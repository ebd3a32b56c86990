import { isCancel } from '@clack/prompts';

/**
 * Cancelling a prompt (Ctrl-C, Escape) is not an error: clack returns a symbol. This
 * narrows a prompt's result to either the value or `undefined` for "the user left".
 *
 * @example
 * const limit = answerOrUndefined(await text({ message: 'How many?' }));
 * if (limit === undefined) return; // the user cancelled
 */
export function answerOrUndefined<T>(answer: T | symbol): Exclude<T, symbol> | undefined {
  return isCancel(answer) ? undefined : (answer as Exclude<T, symbol>);
}
