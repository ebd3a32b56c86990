import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { CompilationError } from '../jinja/compilation-error.ts';

/** A YAML file, parsed, that can say where each of its values is written. */
export interface YamlFile {
  /** Relative to the project folder, as messages show it. */
  file: string;
  /** The file's content as plain JavaScript values (`{}` for an empty file). */
  value: unknown;
  /** The 1-based line and column of the value at `path` (or of its nearest parent that exists). */
  position(path: readonly (string | number)[]): { line: number; column: number };
  /** A CompilationError at the value at `path`. */
  error(path: readonly (string | number)[], problem: string, hint?: string): CompilationError;
}

/**
 * Reads and parses a YAML file. Invalid YAML is a CompilationError at the line and
 * column where the parser gave up (`models/schema.yml:4:3: not valid YAML: …`).
 *
 * @example
 * const yml = readYamlFile('/p/dbt_project.yml', 'dbt_project.yml');
 * yml.position(['models', 'shop']) // → { line: 7, column: 3 }
 */
export function readYamlFile(absolutePath: string, file: string): YamlFile {
  return parseYamlText(readFileSync(absolutePath, 'utf8'), file);
}

/** {@link readYamlFile} for text already read. */
export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const at = lineCounter.linePos(syntaxError.pos[0]);
    throw new CompilationError(file, at.line, at.col, `not valid YAML: ${syntaxError.message.split('\n')[0]}`);
  }
  const position = (path: readonly (string | number)[]) => {
    const at = lineCounter.linePos(offsetOf(doc, path));
    return { line: at.line, column: at.col };
  };
  return {
    file,
    value: doc.toJS() ?? {},
    position,
    error: (path, problem, hint) => {
      const at = position(path);
      return new CompilationError(file, at.line, at.column, problem, { hint });
    },
  };
}

function offsetOf(doc: Document, path: readonly (string | number)[]): number {
  let current = [...path];
  while (current.length > 0) {
    const node = doc.getIn(current, true);
    if (isNode(node) && node.range) return node.range[0];
    current = current.slice(0, -1);
  }
  return isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
}
