import { surrogateKeys } from '@mart/track/01-star-schema';
import { describe, expect, test } from 'vitest';

describe('surrogate-keys', () => {
  test('numbers the keys 1…n in sorted natural-key order', () => {
    const keys = surrogateKeys(['C003', 'C001', 'C002']);
    expect([...keys.entries()]).toEqual([
      ['C001', 1],
      ['C002', 2],
      ['C003', 3],
    ]);
  });

  test('gives the same keys whatever order the rows come in', () => {
    const a = surrogateKeys(['P10', 'P02', 'P07', 'P01']);
    const b = surrogateKeys(['P01', 'P07', 'P10', 'P02']);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(a.get('P10')).toBe(4);
  });

  test('does not change the array it is given', () => {
    const input = ['B', 'A'];
    surrogateKeys(input);
    expect(input).toEqual(['B', 'A']);
  });

  test('rejects a duplicate natural key, naming it', () => {
    expect(surrogateKeys(['C001', 'C002']).size).toBe(2); // a working function first
    expect(() => surrogateKeys(['C001', 'C002', 'C001'])).toThrow(/C001/);
  });

  test('rejects a blank natural key', () => {
    expect(surrogateKeys(['C001']).get('C001')).toBe(1); // a working function first
    expect(() => surrogateKeys(['C001', '  '])).toThrow(Error);
    expect(() => surrogateKeys([''])).toThrow(Error);
  });

  test('an empty list gives an empty map', () => {
    expect(surrogateKeys([]).size).toBe(0);
  });
});
