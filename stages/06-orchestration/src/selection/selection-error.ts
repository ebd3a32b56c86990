import { UsageError } from '@mart/shared';

/**
 * A selection that cannot be used: a syntax error, or (when the graph is known) a name no
 * asset has. The message starts with the column and ends with the selection and a caret
 * under the place:
 *
 *     col 11: expected a selection (key:…, …), found "or".
 *       key:a and or b
 *                 ^
 *
 * @example
 * throw SelectionError.fromIndex(10, 'expected a selection, found "or".').inSelection('key:a and or b');
 */
export class SelectionError extends UsageError {
  /** 0-based offset of the place in the selection. */
  readonly index: number;
  /** 1-based column of the place (in its line, for a selection written over several lines). */
  readonly column: number;
  /** 1-based line of the place. */
  readonly line: number;
  /** What is wrong, without the place: `expected …, found "or".` */
  readonly problem: string;
  /** The selection as typed, once known. */
  readonly selection: string | undefined;

  private constructor(index: number, problem: string, selection: string | undefined) {
    const before = (selection ?? '').slice(0, index).split('\n');
    const line = before.length;
    const column = (before.at(-1) ?? '').length + 1;
    const where = line > 1 ? `line ${line}, col ${column}` : `col ${column}`;
    const text = selection === undefined ? '' : `\n  ${selection.split('\n')[line - 1]}\n  ${' '.repeat(column - 1)}^`;
    super(`${where}: ${problem}${text}`, {
      hint: 'The selection syntax, with examples: stages/06-orchestration/README.md#selecting-assets',
    });
    this.name = 'SelectionError';
    this.index = index;
    this.line = line;
    this.column = column;
    this.problem = problem;
    this.selection = selection;
  }

  /** An error at offset `index` of a selection not known yet (see {@link inSelection}). */
  static fromIndex(index: number, problem: string): SelectionError {
    return new SelectionError(index, problem, undefined);
  }

  /** The same error, its message showing `selection` with a caret under the place. */
  inSelection(selection: string): SelectionError {
    return new SelectionError(this.index, this.problem, selection);
  }
}
