import type { Selection } from '../given/types.ts';

/** Where a value stands in the selection text: `[start, end)`, quotes excluded. */
export interface ValueSpan {
  text: string;
  start: number;
  end: number;
}

/** Where a node of a parsed selection came from, for messages about it. */
export interface SelectionSpan {
  start: number;
  end: number;
  /** An attribute's value, or a tag's key. */
  value?: ValueSpan;
  /** A tag's `=value`. */
  tagValue?: ValueSpan;
}

// Kept beside the nodes, not in them: a parsed selection is plain data (what the
// select-assets piece and the tests compare), and only messages need the places.
const spans = new WeakMap<Selection, SelectionSpan>();

/** Remembers where `selection` came from, and returns it. */
export function withSpan(selection: Selection, span: SelectionSpan): Selection {
  spans.set(selection, span);
  return selection;
}

/** Where a node of a selection parsed by parseSelection came from (undefined for one built by hand). */
export function spanOf(selection: Selection): SelectionSpan | undefined {
  return spans.get(selection);
}
