import { existsSync, readFileSync } from 'node:fs';
import { InputFileError } from '@mart/shared';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Check, checkTypes } from '../given/index.ts';
import { type CheckData, checksFileSchema } from './checks-file-schema.ts';

/** Exit code for a checks file that cannot be used: the checks could not run (3). */
export const checkErrorExitCode = 3;

/** A checks file, parsed and validated. */
export interface ChecksFile {
  /** The path as given, for messages and the report. */
  path: string;
  checks: Check[];
  /** Pinned reference time for freshness, if the file sets one. */
  referenceTime: Date | undefined;
  sampleRows: number;
}

/**
 * Reads a checks file (YAML). Any problem — not YAML, an unknown key, a wrong value — is
 * an InputFileError naming the file, line and column, with exit code 3.
 *
 * @example
 * const { checks } = readChecksFile('stages/03-quality/checks.yml', 'checks.yml');
 */
export function readChecksFile(path: string, shownAs: string = path): ChecksFile {
  const fail = (problem: string, at?: { line: number; col: number }, hint?: string) =>
    new InputFileError(shownAs, problem, {
      line: at?.line,
      column: at?.col,
      hint,
      exitCode: checkErrorExitCode,
    });
  if (!existsSync(path)) throw fail('no such checks file', undefined, 'Pass another with --checks FILE.');

  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    throw fail(`not valid YAML: ${syntaxError.message.split('\n')[0]}`, lineCounter.linePos(syntaxError.pos[0]));
  }
  const parsed = checksFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    // An unknown key usually explains the other problems (a misspelt `colum:` is also a
    // missing `column:`), so it is reported first.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const issue = issues[0] as z.core.$ZodIssue;
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'problem' : 'problems'})` : '';
    throw fail(`${describeIssue(issue)}${more}`, lineCounter.linePos(offsetOf(doc, issue)));
  }

  const data = parsed.data;
  const checks: Check[] = [];
  for (const [table, list] of Object.entries(data.tables)) {
    list.forEach((entry, i) => {
      const check = toCheck(table, entry);
      if (checks.some((other) => other.table === table && other.name === check.name)) {
        const node = doc.getIn(['tables', table, i], true);
        throw fail(
          `two checks on ${table} are named ${check.name}`,
          isNode(node) && node.range ? lineCounter.linePos(node.range[0]) : undefined,
          'Give one of them a name: (name: …).',
        );
      }
      checks.push(check);
    });
  }
  return {
    path: shownAs,
    checks,
    referenceTime: data.reference_time === undefined ? undefined : parseTime(data.reference_time, fail),
    sampleRows: data.sample_rows ?? 20,
  };
}

/** Where in the file an issue is: the unknown key itself, else the deepest node on its path that exists. */
function offsetOf(doc: Document, issue: z.core.$ZodIssue): number {
  let path = [...issue.path];
  let node = doc.getIn(path, true);
  while (!isNode(node) && path.length > 0) {
    path = path.slice(0, -1);
    node = doc.getIn(path, true);
  }
  if (issue.code === 'unrecognized_keys' && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === issue.keys[0]);
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return isNode(node) && node.range ? node.range[0] : 0;
}

/** `tables.dim_customer.0.colum: unrecognized key` → readable words. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    return `${where}unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    return `${where}unknown check type; use one of ${checkTypes.join(', ')}`;
  }
  return `${where}${issue.message}`;
}

/** The file's entry → the Check the runner and the pieces use, with its default name. */
function toCheck(table: string, entry: CheckData): Check {
  const { fail, warn } = { fail: normalise(entry.fail), warn: normalise(entry.warn) };
  const common = { table, ...(fail ? { fail } : {}), ...(warn ? { warn } : {}) };
  switch (entry.check) {
    case 'row_count':
      return { ...common, type: 'row_count', name: entry.name ?? 'row_count' };
    case 'not_null':
      return { ...common, type: 'not_null', name: entry.name ?? `not_null(${entry.column})`, column: entry.column };
    case 'unique':
      return {
        ...common,
        type: 'unique',
        name: entry.name ?? `unique(${entry.columns.join(',')})`,
        columns: entry.columns,
      };
    case 'accepted_values':
      return {
        ...common,
        type: 'accepted_values',
        name: entry.name ?? `accepted_values(${entry.column})`,
        column: entry.column,
        values: entry.values,
      };
    case 'range':
      return {
        ...common,
        type: 'range',
        name: entry.name ?? `range(${entry.column})`,
        column: entry.column,
        ...(entry.min !== undefined ? { min: entry.min } : {}),
        ...(entry.max !== undefined ? { max: entry.max } : {}),
      };
    case 'relationships': {
      const [toTable = '', toColumn = ''] = entry.to.split('.');
      return {
        ...common,
        type: 'relationships',
        name: entry.name ?? `relationships(${entry.column})`,
        column: entry.column,
        to: { table: toTable, column: toColumn },
      };
    }
    case 'freshness':
      return {
        ...common,
        type: 'freshness',
        name: entry.name ?? `freshness(${entry.column ?? 'expression'})`,
        ...(entry.column !== undefined ? { column: entry.column } : {}),
        ...(entry.expression !== undefined ? { expression: entry.expression } : {}),
      };
    case 'schema':
      return {
        ...common,
        type: 'schema',
        name: entry.name ?? 'schema',
        columns: entry.columns ?? {},
        forbidden: entry.forbidden ?? [],
      };
    case 'sql':
      // A trailing `;` is natural to type but breaks `select count(*) from (<sql>)`.
      return { ...common, type: 'sql', name: entry.name, sql: entry.sql.trim().replace(/;+\s*$/, '') };
  }
}

/** `between: [a, b]` is min and max. */
function normalise(threshold: CheckData['fail']): Check['fail'] {
  if (!threshold) return undefined;
  const { between, ...rest } = threshold;
  return between ? { ...rest, min: between[0], max: between[1] } : rest;
}

function parseTime(value: string | Date, fail: (problem: string) => Error): Date {
  const time = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(time.getTime())) throw fail(`reference_time "${String(value)}" is not a date or timestamp`);
  return time;
}
