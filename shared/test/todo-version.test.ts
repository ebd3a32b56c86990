import { describe, expect, test } from 'vitest';
import { todoVersion } from '../src/course/todo-version.ts';

const exercise = { key: '09-demo/add' };

describe('todoVersion', () => {
  test('replaces a solution region with NotImplementedError and adds its import before relative imports', () => {
    const solution = [
      "import type { Database } from '@mart/shared';",
      "import type { Row } from './types.ts';",
      '',
      'export function add(a: number, b: number): number {',
      '  // #region solution',
      '  return a + b;',
      '  // #endregion',
      '}',
      '',
    ].join('\n');
    expect(todoVersion(solution, exercise)).toBe(
      [
        "import type { Database } from '@mart/shared';",
        "import { NotImplementedError } from '@mart/shared';",
        "import type { Row } from './types.ts';",
        '',
        'export function add(a: number, b: number): number {',
        "  throw new NotImplementedError('09-demo/add');",
        '}',
        '',
      ].join('\n'),
    );
  });

  test('drops solution-only helpers and the blank lines they leave', () => {
    const solution = [
      'export function f(): number {',
      '  // #region solution',
      '  return helper();',
      '  // #endregion',
      '}',
      '',
      '// #region solution-only',
      'function helper(): number {',
      '  return 1;',
      '}',
      '// #endregion',
      '',
    ].join('\n');
    const todo = todoVersion(solution, exercise);
    expect(todo).not.toContain('helper');
    expect(todo.startsWith("import { NotImplementedError } from '@mart/shared';\n\nexport function f()")).toBe(true);
    expect(todo.endsWith('}\n')).toBe(true);
  });

  test('adds NotImplementedError to an existing @mart/shared import, sorted the way Biome sorts', () => {
    const solution = [
      "import { type Database, quoteIdentifier } from '@mart/shared';",
      '',
      'export function f(db: Database): string {',
      '  // #region solution',
      '  return quoteIdentifier(String(db));',
      '  // #endregion',
      '}',
    ].join('\n');
    const todo = todoVersion(solution, exercise);
    expect(todo.split('\n')[0]).toBe(
      "import { type Database, NotImplementedError, quoteIdentifier } from '@mart/shared';",
    );
    expect(todo.match(/NotImplementedError/g)).toHaveLength(2); // the import and the throw, nothing more
  });

  test('copies files without regions unchanged', () => {
    const types = 'export type A = { a: number };\n';
    expect(todoVersion(types, exercise)).toBe(types);
  });

  test('an unclosed region is an error naming the exercise', () => {
    expect(() => todoVersion('  // #region solution\nreturn 1;\n', exercise)).toThrow(/09-demo\/add/);
  });
});
