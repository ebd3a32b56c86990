import { describe, expect, test } from 'vitest';
import { closestWord, editDistance } from '../src/checks-file/closest-word.ts';

describe('did you mean', () => {
  test('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('colum', 'column')).toBe(1);
    expect(editDistance('max_precent', 'max_percent')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('the closest candidate, or none when every one is too far', () => {
    const keys = ['check', 'column', 'name', 'fail', 'warn'];
    expect(closestWord('colum', keys)).toBe('column');
    expect(closestWord('Column', keys)).toBe('column');
    expect(closestWord('wran', keys)).toBe('warn');
    expect(closestWord('severity', keys)).toBeUndefined();
    expect(closestWord('not_nul', ['not_null', 'unique'])).toBe('not_null');
    expect(closestWord('not_empty', ['not_null', 'unique'])).toBeUndefined();
  });
});
