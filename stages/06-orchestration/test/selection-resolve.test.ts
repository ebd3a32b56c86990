import { MartPaths, MineScope } from '@mart/shared';
import { describe, expect, test } from 'vitest';
import type { AssetNode } from '../src/given/types.ts';
import { loadOrchestrationPieces } from '../src/pieces.ts';
import { resolveSelection } from '../src/selection/resolve-selection.ts';

// Dagster's UI test graph (ui-core AntlrAssetSelection.test.ts): A → B, A → B2, B → C, B2 → C.
const graph: AssetNode[] = [
  { key: 'A', deps: [], group: 'default', kinds: [], tags: { foo: 'bar' }, owners: ['owner@owner.com'] },
  { key: 'B', deps: ['A'], group: 'default', kinds: ['python', 'snowflake'], tags: { foo: 'baz' }, owners: [] },
  { key: 'B2', deps: ['A'], group: 'default', kinds: [], tags: {}, owners: [] },
  { key: 'C', deps: ['B', 'B2'], group: 'my_group', kinds: [], tags: {}, owners: [] },
];

const pieces = await loadOrchestrationPieces(MineScope.none(), new MartPaths());
const select = (text: string) => resolveSelection({ text, assets: graph, pieces });

describe("resolveSelection with the reference select-assets piece: Dagster's examples", () => {
  test.each([
    ['*', ['A', 'B', 'B2', 'C']],
    ['key:A', ['A']],
    ['key:A and key:B', []],
    ['(key:A or key:B) and (key:B or key:C)', ['B']],
    ['not key:A', ['B', 'B2', 'C']],
    ['NOT key:A', ['B', 'B2', 'C']],
    ['1+key:C', ['B', 'B2', 'C']],
    ['2+key:C', ['A', 'B', 'B2', 'C']],
    ['key:A+1', ['A', 'B', 'B2']],
    ['key:C+1', ['C']],
    ['+key:B', ['A', 'B']],
    ['key:A+', ['A', 'B', 'B2', 'C']],
    ['+key:B+', ['A', 'B', 'C']],
    ['key:A+ and +key:C and +key:B+', ['A', 'B', 'C']],
    ['sinks(key:A or key:B)', ['B']],
    ['roots(key:A or key:B)', ['A']],
    ['roots(*)', ['A']],
    ['sinks(*)', ['C']],
    ['tag:foo=bar', ['A']],
    ['kind:python', ['B']],
    ['owner:"owner@owner.com"', ['A']],
    ['group:my_group', ['C']],
    ['key:B*', ['B', 'B2']],
  ])('%s → %j', (text, expected) => {
    expect(select(text)).toEqual(expected);
  });

  test('an unknown key is refused before anything is selected', () => {
    expect(() => select('key:D')).toThrow(/no asset has the key "D"/);
  });
});
