import { existsSync, readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Check } from '../given/index.ts';
import { checksFileError, type PlacedProblem } from './checks-file-error.ts';
import { type CheckData, checkSchema, checksFileSchema } from './checks-file-schema.ts';
import { type ChecksFileProblem, describeIssue, placeOf } from './describe-issue.ts';

export { checkErrorExitCode } from './checks-file-error.ts';

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
 * Reads a checks file (YAML). A file that cannot be used — not YAML, unknown keys, wrong
 * values, two checks with one name — is an InputFileError listing every problem, each
 * with its line and column, with exit code 3.
 *
 * The SQL in `sql` and `expression` is not judged here: only DuckDB's parser can say
 * whether it is one SELECT, and reading the file needs no database (see vet-check-sql.ts).
 *
 * @example
 * const { checks } = readChecksFile('stages/03-quality/checks.yml', 'checks.yml');
 */
export function readChecksFile(path: string, shownAs: string = path): ChecksFile {
  if (!existsSync(path))
    throw checksFileError(shownAs, [{ message: 'no such checks file' }], 'Pass another with --checks FILE.');

  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw checksFileError(
      shownAs,
      doc.errors.map((error) => ({
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
        ...place(lineCounter, error.pos[0]),
      })),
    );
  }
  const data: unknown = doc.toJS();
  const parsed = checksFileSchema.safeParse(data, { reportInput: true });
  const problems = findProblems(data, parsed.success ? [] : parsed.error.issues);
  if (!parsed.success || problems.length > 0) {
    const placed = problems
      .map((problem) => ({ problem, offset: offsetOf(doc, problem) }))
      .sort((a, b) => a.offset - b.offset)
      .map(({ problem, offset }): PlacedProblem => ({ message: problem.message, ...place(lineCounter, offset) }));
    throw checksFileError(shownAs, placed);
  }

  const valid = parsed.data;
  return {
    path: shownAs,
    checks: Object.entries(valid.tables).flatMap(([table, list]) => list.map((entry) => toCheck(table, entry))),
    referenceTime: valid.reference_time === undefined ? undefined : parseTime(valid.reference_time),
    sampleRows: valid.sample_rows ?? 20,
  };
}

/**
 * Every problem of the file at once: what the schema finds, plus what it cannot say
 * (two checks with one name, a reference_time that is not a date), so one run lists
 * them all.
 */
function findProblems(data: unknown, issues: readonly z.core.$ZodIssue[]): ChecksFileProblem[] {
  const problems = issues.flatMap((issue) => describeIssue(issue, data));
  // A misspelt `colum:` is also a missing `column:`, and a misspelt `max_precent:` leaves
  // the threshold empty: one typo, reported once, as the unknown key and its correction.
  const suggested = new Set(problems.map((problem) => problem.suggested && key(problem.path, problem.suggested)));
  const corrected = new Set(problems.map((problem) => problem.suggested && key(problem.path, '')));
  const kept = problems.filter((problem) =>
    problem.missing !== undefined
      ? !suggested.has(key(problem.path.slice(0, -1), problem.missing))
      : !(problem.refinement && corrected.has(key(problem.path, ''))),
  );
  return [...kept, ...duplicateNames(data), ...badReferenceTime(data)];
}

/** Two checks on one table with one name (the default names, like `not_null(email)`, included). */
function duplicateNames(data: unknown): ChecksFileProblem[] {
  const tables = (data as { tables?: unknown } | null)?.tables;
  if (typeof tables !== 'object' || tables === null) return [];
  const problems: ChecksFileProblem[] = [];
  for (const [table, list] of Object.entries(tables)) {
    if (!Array.isArray(list)) continue;
    const firstWithName = new Map<string, number>();
    list.forEach((entry: unknown, i) => {
      // Checks with problems of their own are reported for those; names are judged on valid ones.
      const parsed = checkSchema.safeParse(entry);
      if (!parsed.success) return;
      const { name } = toCheck(table, parsed.data);
      const first = firstWithName.get(name);
      if (first === undefined) {
        firstWithName.set(name, i);
        return;
      }
      const path = ['tables', table, i];
      problems.push({
        path,
        message: `${placeOf(path, data)}: check ${first + 1} has the same name, ${name}; give one of them another (name: …)`,
      });
    });
  }
  return problems;
}

function badReferenceTime(data: unknown): ChecksFileProblem[] {
  const value = (data as { reference_time?: unknown } | null)?.reference_time;
  if (typeof value !== 'string' || !Number.isNaN(new Date(value).getTime())) return [];
  return [
    {
      path: ['reference_time'],
      message: `reference_time "${value}" is not a date or timestamp; write one like 2024-12-31 or 2024-12-31T08:00:00Z`,
    },
  ];
}

function key(path: readonly PropertyKey[], name: string): string {
  return JSON.stringify([...path.map(String), name]);
}

function place(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Where in the file a problem is: the key it names, else the deepest node on its path that exists. */
function offsetOf(doc: Document, problem: ChecksFileProblem): number {
  let path = [...problem.path];
  let node = doc.getIn(path, true);
  while (!isNode(node) && path.length > 0) {
    path = path.slice(0, -1);
    node = doc.getIn(path, true);
  }
  if (problem.key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === problem.key);
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
  }
  if (isNode(node) && node.range) return node.range[0];
  // The whole document (an empty file): its start.
  return doc.contents?.range?.[0] ?? 0;
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
      // A trailing `;` is natural to type but breaks `select count(*) from (<sql>)`. One
      // hidden behind a comment (`select …; -- note`) is taken off at run time, where
      // DuckDB's parser can tell a comment from text that looks like one (vet-check-sql.ts).
      return { ...common, type: 'sql', name: entry.name, sql: entry.sql.trim().replace(/;+\s*$/, '') };
  }
}

/** `between: [a, b]` is min and max. */
function normalise(threshold: CheckData['fail']): Check['fail'] {
  if (!threshold) return undefined;
  const { between, ...rest } = threshold;
  return between ? { ...rest, min: between[0], max: between[1] } : rest;
}

/** Valid by now: badReferenceTime() has refused anything else. */
function parseTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
