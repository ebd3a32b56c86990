import { CompilationError } from './compilation-error.ts';
import { JinjaCallError } from './jinja-call-error.ts';
import { UndefinedNameError } from './undefined-name-error.ts';

/** Where a template's text comes from: its file, and the line in that file its first line is. */
export interface TemplateOrigin {
  /** Relative to the project folder. */
  file: string;
  /** 0 for a whole file; the line before a `{% snapshot %}` block's body for a block. */
  lineOffset: number;
}

/** Names a dbt user might write that come from packages or adapters. */
const packagePrefixes =
  /^(dbt_utils|dbt_expectations|dbt_date|codegen|audit_helper|dbt_external_tables|elementary|metrics|fivetran_utils|dbt_project_evaluator)$/;

/**
 * Turns whatever a nunjucks render threw into a CompilationError at `file:line:col`
 * (the innermost located frame, which is inside the macro when a macro failed), with a
 * message and a hint a dbt user can act on. Never a nunjucks stack trace.
 */
export function locateError(error: unknown, origins: ReadonlyMap<string, TemplateOrigin>): CompilationError {
  const root = rootCause(error);
  if (root instanceof CompilationError) return root;
  const message = error instanceof Error ? error.message : String(error);
  const at = /\(([^()\n]+)\) \[Line (\d+)(?:, Column (\d+))?\]/.exec(message) ?? /\(([^()\n]+)\)/.exec(message);
  const template = at?.[1] ?? '';
  const origin = origins.get(template) ?? { file: template || 'unknown file', lineOffset: 0 };
  const line = at?.[2] ? Number(at[2]) + origin.lineOffset : undefined;
  const column = at?.[3] ? Number(at[3]) : undefined;
  const { problem, hint } = explain(root, message);
  return new CompilationError(origin.file, line, column, problem, { hint, cause: error });
}

/** The error a nunjucks TemplateError wraps (`cause`, possibly nested). */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) return current;
    current = cause;
  }
  return current;
}

function explain(root: unknown, message: string): { problem: string; hint: string | undefined } {
  if (root instanceof JinjaCallError) return { problem: root.message, hint: root.hint };
  if (root instanceof UndefinedNameError) {
    const name = root.undefinedName;
    if (packagePrefixes.test(name)) {
      return {
        problem: `'${name}' is undefined: packages (${name}.…) are not supported`,
        hint: `Copy the macro you need into macros/ and call it without the "${name}." prefix.`,
      };
    }
    return {
      problem: root.message,
      hint: `Define it with {% set ${name} = … %}, or as a macro in macros/. Macros from packages (name.macro) are not supported.`,
    };
  }
  const text = (root instanceof Error ? root.message : message)
    .split('\n')
    .filter((line) => !/^\s*\([^()\n]+\)( \[Line \d+(, Column \d+)?\])?\s*$/.test(line))
    .join('\n')
    .trim()
    .replace(/^(Template render error: )?(\w*Error: )?/, '')
    .trim();
  const unableToCall = /^Unable to call `([^`]+)`, which is undefined or falsey$/.exec(text);
  if (unableToCall) {
    const name = unableToCall[1] ?? '';
    const prefix = name.split('.')[0] ?? name;
    if (packagePrefixes.test(prefix)) {
      return {
        problem: `'${name}' is undefined: packages are not supported`,
        hint: `Copy the macro into macros/ and call it as ${name.split('.').pop()}(…).`,
      };
    }
    return {
      problem: `'${name}' is undefined`,
      hint: 'No macro or function has this name: define it in macros/ ({% macro name(…) %}), or check the spelling.',
    };
  }
  // parse errors read "parseAggregate: expected comma after expression"; the function is noise.
  return { problem: text.replace(/^parse\w+: /, ''), hint: undefined };
}
