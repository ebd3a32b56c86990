import { UsageError } from '@mart/shared';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AssetNode, Selection } from '../src/given/types.ts';
import { formatSelection } from '../src/selection/format-selection.ts';
import { parseSelection, SelectionError } from '../src/selection/parse-selection.ts';

const key = (value: string): Selection => ({ kind: 'attribute', attribute: 'key', value });

/** The error a selection fails with. */
function errorOf(text: string, assets?: readonly AssetNode[]): SelectionError {
  try {
    parseSelection(text, assets ? { assets } : {});
  } catch (error) {
    if (error instanceof SelectionError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('parseSelection: the forms', () => {
  test.each([
    ['*', { kind: 'all' }],
    ['key:a', key('a')],
    ['key:prefix/thing', key('prefix/thing')],
    ['key:"*/a+"', key('*/a+')],
    ['key:dbt/*', key('dbt/*')],
    ['key:*_sales', key('*_sales')],
    ['key : a', key('a')],
    ['group:marts', { kind: 'attribute', attribute: 'group', value: 'marts' }],
    ['kind:dbt', { kind: 'attribute', attribute: 'kind', value: 'dbt' }],
    ['owner:"owner@owner.com"', { kind: 'attribute', attribute: 'owner', value: 'owner@owner.com' }],
    ['owner:"team:billing"', { kind: 'attribute', attribute: 'owner', value: 'team:billing' }],
    ['tag:foo', { kind: 'tag', key: 'foo', value: undefined }],
    ['tag:foo=bar', { kind: 'tag', key: 'foo', value: 'bar' }],
    ['tag:"fake"=""', { kind: 'tag', key: 'fake', value: undefined }],
    ['tag:"a b"="c d"', { kind: 'tag', key: 'a b', value: 'c d' }],
    ['+key:a', { kind: 'traverse', operand: key('a'), up: 'all', down: 0 }],
    ['2+key:a', { kind: 'traverse', operand: key('a'), up: 2, down: 0 }],
    ['key:a+', { kind: 'traverse', operand: key('a'), up: 0, down: 'all' }],
    ['key:a+1', { kind: 'traverse', operand: key('a'), up: 0, down: 1 }],
    ['1+key:a+1', { kind: 'traverse', operand: key('a'), up: 1, down: 1 }],
    ['+key:a+', { kind: 'traverse', operand: key('a'), up: 'all', down: 'all' }],
    ['12+key:a+3', { kind: 'traverse', operand: key('a'), up: 12, down: 3 }],
    [
      '+(key:a or key:b)',
      { kind: 'traverse', operand: { kind: 'or', left: key('a'), right: key('b') }, up: 'all', down: 0 },
    ],
    ['sinks(key:a)', { kind: 'function', name: 'sinks', operand: key('a') }],
    ['roots(*)', { kind: 'function', name: 'roots', operand: { kind: 'all' } }],
    [
      'roots (*)+',
      { kind: 'traverse', operand: { kind: 'function', name: 'roots', operand: { kind: 'all' } }, up: 0, down: 'all' },
    ],
    ['not key:a', { kind: 'not', operand: key('a') }],
    ['NOT key:a', { kind: 'not', operand: key('a') }],
    ['key:a AND key:b', { kind: 'and', left: key('a'), right: key('b') }],
    ['key:a OR key:b', { kind: 'or', left: key('a'), right: key('b') }],
    ['(key:a)', key('a')],
    ['key:keyboard', key('keyboard')],
    ['key:a\n  or key:b', { kind: 'or', left: key('a'), right: key('b') }],
  ] as [string, Selection][])('%s', (text, expected) => {
    expect(parseSelection(text)).toEqual(expected);
  });
});

describe('parseSelection: precedence (traversal > not > and > or), left to right', () => {
  test('not binds tighter than and, and tighter than or', () => {
    expect(parseSelection('not key:a and key:b or key:c')).toEqual({
      kind: 'or',
      left: { kind: 'and', left: { kind: 'not', operand: key('a') }, right: key('b') },
      right: key('c'),
    });
  });

  test('or is weakest: a or b and c is a or (b and c)', () => {
    expect(parseSelection('key:a or key:b and key:c')).toEqual({
      kind: 'or',
      left: key('a'),
      right: { kind: 'and', left: key('b'), right: key('c') },
    });
  });

  test('and / or are left-associative', () => {
    expect(parseSelection('key:a and key:b and key:c')).toEqual({
      kind: 'and',
      left: { kind: 'and', left: key('a'), right: key('b') },
      right: key('c'),
    });
  });

  test('a traversal binds to its operand, inside not', () => {
    expect(parseSelection('not +key:a')).toEqual({
      kind: 'not',
      operand: { kind: 'traverse', operand: key('a'), up: 'all', down: 0 },
    });
  });

  test('Dagster: +key:a and key:b+ and +key:c+', () => {
    expect(parseSelection('+key:a and key:b+ and +key:c+')).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'traverse', operand: key('a'), up: 'all', down: 0 },
        right: { kind: 'traverse', operand: key('b'), up: 0, down: 'all' },
      },
      right: { kind: 'traverse', operand: key('c'), up: 'all', down: 'all' },
    });
  });

  test('parentheses change the grouping', () => {
    expect(parseSelection('not (key:a and key:b)')).toEqual({
      kind: 'not',
      operand: { kind: 'and', left: key('a'), right: key('b') },
    });
  });
});

describe('parseSelection: syntax errors point at the column', () => {
  test('key:a and or b → col 11, with the selection and a caret', () => {
    const error = errorOf('key:a and or b');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.column).toBe(11);
    expect(error.message).toMatch(/^col 11: expected a selection .*found "or"\./);
    expect(error.message.split('\n').slice(1)).toEqual(['  key:a and or b', '            ^']);
  });

  // Dagster's own invalid inputs (test_antlr_asset_selection.py, AntlrAssetSelection.test.ts).
  test.each([
    ['+', 2],
    ['*+', 2],
    ['**key:a', 2],
    ['not', 4],
    ['key:a key:b', 7],
    ['key:a and and', 11],
    ['key:a and', 10],
    ['sinks', 1],
    ['owner', 1],
    ['tag:foo=', 9],
    ['owner:owner@owner.com', 12],
    ['owner:<none>', 7],
    ['key:<fake>', 5],
    ['is:nonsense', 1],
    ['A', 1],
    ['and', 1],
    ['notafunction()', 1],
    ['+not key:a', 2],
    ['', 1],
    ['key:"unterminated', 18],
    ['(key:a', 7],
    ['key:a)', 6],
    ['roots()', 7],
    ['group:raw=x', 10],
    ['group:ma*', 9],
    ['Key:a', 1],
  ])('%s → col %i', (text, column) => {
    const error = errorOf(text);
    expect(error.column).toBe(column);
    expect(error.message.startsWith(`col ${column}: `)).toBe(true);
    expect(error.message.split('\n').at(-1)).toBe(`  ${' '.repeat(column - 1)}^`);
  });

  test('the messages say what to write', () => {
    expect(errorOf('A').problem).toContain('write key:A');
    expect(errorOf('status:healthy').problem).toContain('Dagster attribute this course does not have');
    expect(errorOf('Key:a').problem).toContain('write key:');
    expect(errorOf('key:a And key:b').problem).toContain('"and" or "AND"');
    expect(errorOf('key:"abc').problem).toContain('a closing "');
    expect(errorOf('group:ma*').problem).toContain('only key: takes * wildcards');
  });

  test('a selection over several lines names the line too', () => {
    const error = errorOf('key:a\nor or');
    expect([error.line, error.column]).toEqual([2, 4]);
    expect(error.message).toMatch(/^line 2, col 4: /);
  });
});

describe('parseSelection with the graph: names must exist', () => {
  const assets: AssetNode[] = [
    { key: 'raw/sales', deps: [], group: 'raw', kinds: ['csv'], tags: {}, owners: [] },
    {
      key: 'dbt/fct_sales',
      deps: ['raw/sales'],
      group: 'marts',
      kinds: ['dbt'],
      tags: { marts: '', tier: 'gold' },
      owners: ['team:analytics'],
    },
  ];

  test('known names parse', () => {
    const text = 'key:dbt/* and group:marts and kind:dbt and tag:marts and tag:tier=gold and owner:"team:analytics"';
    expect(() => parseSelection(text, { assets })).not.toThrow();
  });

  test('an unknown key suggests the closest, pointing at the value', () => {
    const error = errorOf('key:raw/sales or key:dbt/fct_sale', assets);
    expect(error.column).toBe(22);
    expect(error.problem).toBe('no asset has the key "dbt/fct_sale"; did you mean "dbt/fct_sales"?');
  });

  test('a key without its prefix suggests the full key', () => {
    expect(errorOf('key:fct_sales', assets).problem).toContain('did you mean "dbt/fct_sales"?');
  });

  test('a wildcard matching nothing, an unknown group, kind, owner and tag are refused', () => {
    expect(errorOf('key:lake/*', assets).problem).toContain('no asset key matches "lake/*"');
    expect(errorOf('group:mart', assets).problem).toContain('did you mean "marts"?');
    expect(errorOf('kind:dbtt', assets).problem).toContain('did you mean "dbt"?');
    expect(errorOf('owner:nobody', assets).problem).toContain('no asset has the owner "nobody"');
    expect(errorOf('tag:tiers', assets).problem).toContain('did you mean "tier"?');
  });

  test('tag:k for a tag that always has a value explains the empty-value rule', () => {
    const error = errorOf('tag:tier', assets);
    expect(error.problem).toContain('without a value');
    expect(error.problem).toContain('tag:tier=gold');
    expect(errorOf('tag:tier=silver', assets).column).toBe(10);
  });
});

describe('formatSelection', () => {
  test.each([
    ['*', '*'],
    ['key:"a"', 'key:a'],
    ['owner:"a@b.com"', 'owner:"a@b.com"'],
    ['key:"*"', 'key:"*"'],
    ['tag:"k"=""', 'tag:k'],
    ['2+key:a+1', '2+key:a+1'],
    ['key:a+1', 'key:a+1'],
    ['+(key:a or key:b)', '+(key:a or key:b)'],
    ['not (key:a and key:b) or key:c', 'not (key:a and key:b) or key:c'],
    ['key:a or (key:b or key:c)', 'key:a or (key:b or key:c)'],
    ['(key:a or key:b) or key:c', 'key:a or key:b or key:c'],
    ['sinks(key:a or key:b)', 'sinks(key:a or key:b)'],
    ['key:"and"', 'key:"and"'],
  ])('%s → %s', (text, formatted) => {
    expect(formatSelection(parseSelection(text))).toBe(formatted);
  });

  const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
  const value = fc.oneof(name, fc.stringMatching(/^[a-z0-9 @:.-]{0,8}$/));
  const depth = fc.oneof(fc.constant<'all'>('all'), fc.nat(3));
  const selection: fc.Arbitrary<Selection> = fc.letrec<{ node: Selection }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant<Selection>({ kind: 'all' }),
      fc.record({
        kind: fc.constant('attribute' as const),
        attribute: fc.constantFrom('key' as const, 'group' as const, 'kind' as const, 'owner' as const),
        value,
      }),
      fc.record({ kind: fc.constant('tag' as const), key: value, value: fc.option(name, { nil: undefined }) }),
      fc.record({ kind: fc.constant('and' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('or' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('not' as const), operand: tie('node') }),
      fc.record({ kind: fc.constant('traverse' as const), operand: tie('node'), up: depth, down: depth }),
      fc.record({
        kind: fc.constant('function' as const),
        name: fc.constantFrom('roots' as const, 'sinks' as const),
        operand: tie('node'),
      }),
    ),
  })).node;

  test('parse(format(s)) is s, for any tree', () => {
    fc.assert(
      fc.property(selection, (tree) => {
        const normal = normalise(tree);
        expect(parseSelection(formatSelection(normal))).toEqual(normal);
      }),
      { numRuns: 300 },
    );
  });
});

/** What a tree means once written out: tag:k="" is tag:k, a traversal of nothing is its operand's parenthesis… */
function normalise(node: Selection): Selection {
  switch (node.kind) {
    case 'all':
    case 'attribute':
      return node;
    case 'tag':
      return node.value === '' ? { ...node, value: undefined } : node;
    case 'and':
    case 'or':
      return { ...node, left: normalise(node.left), right: normalise(node.right) };
    case 'not':
    case 'function':
      return { ...node, operand: normalise(node.operand) };
    case 'traverse':
      return { ...node, operand: normalise(node.operand) };
  }
}
