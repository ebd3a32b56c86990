import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
import type { AssetNode, Selection } from '../given/types.ts';
import { checkSelection } from './check-selection.ts';
import { SelectionError } from './selection-error.ts';
import { type SelectionSpan, type ValueSpan, withSpan } from './spans.ts';

export { SelectionError } from './selection-error.ts';

/** Options for {@link parseSelection}. */
export interface ParseSelectionOptions {
  /**
   * The graph the selection is for. When given, every key, group, kind, owner and tag the
   * selection names must exist in it (a `key:` with a `*` must match some key), or the
   * parse fails pointing at the value and suggesting the closest name.
   */
  assets?: readonly AssetNode[];
}

/** The attributes of the course's selections (Dagster's open-source ones). */
export const selectionAttributes = ['key', 'group', 'tag', 'kind', 'owner'] as const;
type AttributeName = (typeof selectionAttributes)[number];

/** Dagster's attributes this course does not have (Dagster+ ones, or ones about its deployment). */
const dagsterOnlyAttributes = new Set([
  'code_location',
  'is',
  'status',
  'column',
  'table_name',
  'column_tag',
  'changed_in_branch',
  'partitions',
  'automation_type',
  'sensor',
  'schedule',
  'job',
  'not_materialized_in_hours',
  'key_substring',
]);

const grammar = ohm.grammar(readFileSync(new URL('./asset-selection.ohm', import.meta.url), 'utf8'));

const semantics = grammar.createSemantics().addOperation<Selection>('ast', {
  Selection(or, _end) {
    return or.ast();
  },
  Or_or(left, _or, right) {
    return withSpan({ kind: 'or', left: left.ast(), right: right.ast() }, span(this.source));
  },
  And_and(left, _and, right) {
    return withSpan({ kind: 'and', left: left.ast(), right: right.ast() }, span(this.source));
  },
  Not_not(_not, operand) {
    return withSpan({ kind: 'not', operand: operand.ast() }, span(this.source));
  },
  Traversal_both(up, operand, down) {
    return traverse(operand.ast(), depth(up), depth(down), this.source);
  },
  Traversal_up(up, operand) {
    return traverse(operand.ast(), depth(up), 0, this.source);
  },
  Traversal_down(operand, down) {
    return traverse(operand.ast(), 0, depth(down), this.source);
  },
  Traversal_all(_star) {
    return withSpan({ kind: 'all' }, span(this.source));
  },
  Operand_call(name, _open, inner, _close) {
    const called = name.sourceString;
    if (called !== 'roots' && called !== 'sinks') {
      throw SelectionError.fromIndex(
        name.source.startIdx,
        `"${called}" is not a function; the functions are roots(…) and sinks(…).`,
      );
    }
    const operand = inner.children[0];
    if (!operand) {
      throw SelectionError.fromIndex(
        this.source.endIdx - 1,
        `${called}() needs a selection inside the parentheses, e.g. ${called}(*).`,
      );
    }
    return withSpan({ kind: 'function', name: called, operand: operand.ast() }, span(this.source));
  },
  Operand_parens(_open, inner, _close) {
    return inner.ast();
  },
  Attribute_pair(name, _colon, key, _equals, value) {
    const attribute = attributeName(name);
    if (attribute !== 'tag') {
      throw SelectionError.fromIndex(
        _equals.source.startIdx,
        `only tag: takes a "=value"; ${attribute}:${key.sourceString} is a selection of its own.`,
      );
    }
    const tagKey = unwrap(key, 'tag');
    const tagValue = unwrap(value, 'tag');
    // tag:k="" is tag:k: both match only the tags whose value is empty (as in Dagster).
    const selection: Selection = {
      kind: 'tag',
      key: tagKey.text,
      value: tagValue.text === '' ? undefined : tagValue.text,
    };
    return withSpan(selection, { ...span(this.source), value: tagKey, tagValue });
  },
  Attribute_single(name, _colon, value) {
    const attribute = attributeName(name);
    const parsed = unwrap(value, attribute);
    const selection: Selection =
      attribute === 'tag'
        ? { kind: 'tag', key: parsed.text, value: undefined }
        : { kind: 'attribute', attribute, value: parsed.text };
    return withSpan(selection, { ...span(this.source), value: parsed });
  },
});

/**
 * Parses Dagster's asset selection syntax into a {@link Selection}: `key:` (with `*`
 * wildcards), `group:`, `kind:`, `owner:`, `tag:k` / `tag:k=v`, traversals `+x`, `2+x`,
 * `x+`, `x+1`, `n+x+m`, `and`, `or`, `not` (or in capitals), parentheses, `*`,
 * `roots(…)`, `sinks(…)`, double-quoted values. A mistake is a {@link SelectionError}
 * (a UsageError) naming the column, with the selection and a caret under the place.
 *
 * The grammar is asset-selection.ohm beside this file (Ohm, a PEG parser library), made
 * from Dagster's AssetSelection.g4.
 *
 * @example
 * parseSelection('+key:dbt/fct_sales')
 * // → { kind: 'traverse', up: 'all', down: 0, operand: { kind: 'attribute', attribute: 'key', value: 'dbt/fct_sales' } }
 * parseSelection('key:a and or b') // throws SelectionError: col 11: expected a selection (…), found "or".
 */
export function parseSelection(text: string, options: ParseSelectionOptions = {}): Selection {
  const match = grammar.match(text);
  if (match.failed()) throw syntaxError(text, match);
  let selection: Selection;
  try {
    selection = semantics(match).ast();
  } catch (error) {
    if (error instanceof SelectionError) throw error.inSelection(text);
    throw error;
  }
  if (options.assets) checkSelection(selection, options.assets, text);
  return selection;
}

function span(source: ohm.Interval): SelectionSpan {
  return { start: source.startIdx, end: source.endIdx };
}

function attributeName(name: ohm.Node): AttributeName {
  const text = name.sourceString;
  const known = selectionAttributes.find((attribute) => attribute === text);
  if (known) return known;
  const list = selectionAttributes.map((attribute) => `${attribute}:`).join(', ');
  const at = name.source.startIdx;
  if (dagsterOnlyAttributes.has(text)) {
    throw SelectionError.fromIndex(at, `${text}: is a Dagster attribute this course does not have; use ${list}.`);
  }
  const lower = selectionAttributes.find((attribute) => attribute === text.toLowerCase());
  if (lower) throw SelectionError.fromIndex(at, `attribute names are lower case: write ${lower}:, not ${text}:.`);
  throw SelectionError.fromIndex(at, `"${text}" is not an attribute; the attributes are ${list}.`);
}

/** A value without its quotes, where it stands; a `*` outside a key: value is refused. */
function unwrap(value: ohm.Node, attribute: AttributeName): ValueSpan {
  const raw = value.sourceString;
  const quoted = raw.startsWith('"');
  const parsed = {
    text: quoted ? raw.slice(1, -1) : raw,
    start: value.source.startIdx + (quoted ? 1 : 0),
    end: value.source.endIdx - (quoted ? 1 : 0),
  };
  if (attribute !== 'key' && parsed.text.includes('*')) {
    throw SelectionError.fromIndex(
      parsed.start + parsed.text.indexOf('*'),
      `only key: takes * wildcards; ${attribute}: values are matched exactly.`,
    );
  }
  return parsed;
}

function depth(traversal: ohm.Node): number | 'all' {
  const digits = traversal.sourceString.replace('+', '');
  return digits === '' ? 'all' : Number(digits);
}

function traverse(operand: Selection, up: number | 'all', down: number | 'all', source: ohm.Interval): Selection {
  return withSpan({ kind: 'traverse', operand, up, down }, span(source));
}

/** A failed match as a SelectionError: the column, what could come there, and what came instead. */
function syntaxError(text: string, match: ohm.FailedMatchResult): SelectionError {
  const at = match.getRightmostFailurePosition();
  // `"\""` is the opening quote of a quoted value: "a value" says it.
  const listed = match.getExpectedText().replace(' or "\\""', '').replace('"\\"", or a value', 'a value');
  // A bare word: the learner probably meant an asset's key.
  if (listed === '":" or "("') {
    const name = /[A-Za-z0-9_]+$/.exec(text.slice(0, at))?.[0] ?? '';
    return SelectionError.fromIndex(
      at - name.length,
      `"${name}" alone is not a selection: write key:${name} for the asset with that key, or a function such as roots(…).`,
    ).inSelection(text);
  }
  // Where a selection could start, Ohm lists every way to start one: say it in words.
  const expected = listed.includes('an attribute')
    ? 'a selection (key:…, group:…, tag:…, kind:…, owner:…, *, ( … ), roots(…), sinks(…), not …, +…)'
    : listed.replace(/"(AND|OR|NOT)", /g, '').replace(/end of input/g, 'the end of the selection');
  const token = found(text, at);
  const keyword = ['"and"', '"or"', '"not"'].find((word) => word === token.toLowerCase() && word !== token);
  const note = keyword ? ` (${keyword} is written ${keyword} or ${keyword.toUpperCase()})` : '';
  return SelectionError.fromIndex(at, `expected ${expected}, found ${token}${note}.`).inSelection(text);
}

/** What stands at `at`: a word, a quoted value, one character, or the end. */
function found(text: string, at: number): string {
  const rest = text.slice(at);
  if (rest.trim() === '') return 'the end of the selection';
  const token = /^("[^"]*"?|[A-Za-z0-9_*/]+|\S)/.exec(rest.trimStart())?.[0] ?? rest;
  return `"${token}"`;
}
