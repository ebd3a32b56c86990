import { expect } from 'vitest';

/** A reject as stage 2's findDuplicates and findOrphans return it. */
export type Reject = { line: number; reason: string };

/**
 * Checks rejects by line and by what their reasons mention (names, quoted values, a line),
 * not by exact wording, so any clear reason passes. `line 4` does not match `line 40`.
 *
 * @example
 * expectRejects(rejects, [{ line: 4, mentions: ['customer_id', "'C1'", 'line 2'] }]);
 */
export function expectRejects(
  rejects: readonly Reject[],
  expected: ReadonlyArray<{ line: number; mentions: string[] }>,
) {
  expect(rejects.map((reject) => reject.line)).toEqual(expected.map((want) => want.line));
  rejects.forEach((reject, i) => {
    for (const part of expected[i]?.mentions ?? []) {
      expect(reject.reason).toMatch(new RegExp(`${escapeRegExp(part)}(?![0-9])`));
    }
  });
}

/** `text` as a regular expression matching exactly that text. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
