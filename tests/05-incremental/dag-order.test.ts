import { DagCycleError, type GraphNode } from '@mart/stage-05-incremental/given';
import { dagOrder } from '@mart/track/05-incremental';
import { describe, expect, test } from 'vitest';

/** The ids in `order` that come before `id`. */
const before = (order: string[], id: string) => order.slice(0, order.indexOf(id));

describe('dag-order', () => {
  test('a chain: each node after the one it refs', () => {
    const nodes: GraphNode[] = [
      { id: 'model.p.orders', dependsOn: ['model.p.stg_orders'] },
      { id: 'model.p.stg_orders', dependsOn: ['seed.p.raw_orders'] },
      { id: 'seed.p.raw_orders', dependsOn: [] },
    ];
    expect(dagOrder(nodes)).toEqual(['seed.p.raw_orders', 'model.p.stg_orders', 'model.p.orders']);
  });

  test('independent nodes come smallest id first; a node waits for all its parents', () => {
    const nodes: GraphNode[] = [
      { id: 'd', dependsOn: ['b', 'c'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: [] },
      { id: 'e', dependsOn: [] },
    ];
    // a and e are ready first: a < e. Then b, c (both ready once a is done) before e.
    expect(dagOrder(nodes)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('the same order whatever order the nodes come in', () => {
    const nodes: GraphNode[] = [
      { id: 'model.p.fct', dependsOn: ['model.p.stg_a', 'model.p.stg_b'] },
      { id: 'model.p.stg_b', dependsOn: [] },
      { id: 'model.p.stg_a', dependsOn: [] },
      { id: 'model.p.report', dependsOn: ['model.p.fct', 'model.p.stg_a'] },
    ];
    const expected = ['model.p.stg_a', 'model.p.stg_b', 'model.p.fct', 'model.p.report'];
    expect(dagOrder(nodes)).toEqual(expected);
    expect(dagOrder([...nodes].reverse())).toEqual(expected);
  });

  test('dependencies outside the graph (sources) are ignored; repeated dependencies count once', () => {
    const nodes: GraphNode[] = [
      { id: 'model.p.b', dependsOn: ['model.p.a', 'model.p.a', 'source.p.lake.sales'] },
      { id: 'model.p.a', dependsOn: ['source.p.lake.sales'] },
    ];
    expect(dagOrder(nodes)).toEqual(['model.p.a', 'model.p.b']);
  });

  test('a wide graph: every node after all its parents', () => {
    const nodes: GraphNode[] = Array.from({ length: 60 }, (_, i) => ({
      id: `n${String(i).padStart(2, '0')}`,
      dependsOn: i < 5 ? [] : [`n${String(i % 5).padStart(2, '0')}`, `n${String(i - 3).padStart(2, '0')}`],
    }));
    const order = dagOrder(nodes);
    expect([...order].sort()).toEqual(nodes.map((node) => node.id).sort());
    for (const node of nodes) {
      for (const dep of node.dependsOn) expect(before(order, node.id)).toContain(dep);
    }
  });

  test('an empty project has an empty order', () => {
    expect(dagOrder([])).toEqual([]);
  });

  test('a cycle of two is a DagCycleError naming both, the first repeated at the end', () => {
    const nodes: GraphNode[] = [
      { id: 'model.p.a', dependsOn: ['model.p.b'] },
      { id: 'model.p.b', dependsOn: ['model.p.a'] },
      { id: 'model.p.c', dependsOn: [] },
    ];
    const error = catchError(() => dagOrder(nodes));
    expect(error).toBeInstanceOf(DagCycleError);
    const cycle = (error as DagCycleError).cycle;
    expect(cycle).toHaveLength(3);
    expect(cycle[0]).toBe(cycle[2]);
    expect([...cycle.slice(0, 2)].sort()).toEqual(['model.p.a', 'model.p.b']);
  });

  test('a cycle of three behind a healthy part: the cycle, each node depending on the next', () => {
    const nodes: GraphNode[] = [
      { id: 'ok_1', dependsOn: [] },
      { id: 'x', dependsOn: ['y', 'ok_1'] },
      { id: 'y', dependsOn: ['z'] },
      { id: 'z', dependsOn: ['x'] },
      { id: 'after', dependsOn: ['x'] },
    ];
    const error = catchError(() => dagOrder(nodes));
    expect(error).toBeInstanceOf(DagCycleError);
    const cycle = [...(error as DagCycleError).cycle];
    expect(cycle).toHaveLength(4);
    expect(cycle[0]).toBe(cycle[3]);
    const depends = new Map(nodes.map((node) => [node.id, node.dependsOn]));
    for (let i = 0; i < 3; i++) expect(depends.get(cycle[i] as string)).toContain(cycle[i + 1]);
    expect(new Set(cycle)).toEqual(new Set(['x', 'y', 'z']));
  });

  test('a node that refs itself is a cycle', () => {
    const error = catchError(() => dagOrder([{ id: 'model.p.self', dependsOn: ['model.p.self'] }]));
    expect(error).toBeInstanceOf(DagCycleError);
    expect((error as DagCycleError).cycle).toEqual(['model.p.self', 'model.p.self']);
  });
});

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call returned');
}
