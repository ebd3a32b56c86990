import { countOf } from '@mart/shared';
import type { z } from 'zod';
import { checkTypes } from '../given/index.ts';
import { checksFileSchema } from './checks-file-schema.ts';
import { closestWord } from './closest-word.ts';
import { knownKeys } from './known-keys.ts';

/** One thing wrong with a checks file, in words, and where it is. */
export interface ChecksFileProblem {
  /** Path to the value the problem is about (`['tables', 'dim_customer', 0]`), for its line and column. */
  path: readonly PropertyKey[];
  /** Point at this key of the map at `path` (an unknown key) rather than at the map. */
  key?: string;
  /** `tables.dim_customer, check 1 (not_null): unknown key "colum": did you mean "column"?` */
  message: string;
  /** An unknown key's likely meaning: a missing key of that name is the same typo, not a second problem. */
  suggested?: string;
  /** The key a "… is missing" problem is about. */
  missing?: string;
  /** A rule about the map as a whole (`range needs min, max or both`), which a misspelt key can cause. */
  refinement?: true;
}

/**
 * A zod issue from validating the checks file → problems people can act on. zod's words
 * (`tables.dim_customer.0: Invalid input: expected number, received string`) become
 * sentences that name the check by its position and type, name the key, and say what
 * was given: `tables.dim_customer, check 1 (not_null), warn: "max_percent" must be a
 * number, not the text "5%"`. An issue with several unknown keys becomes one problem per
 * key, so each gets its own line and column.
 */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown): ChecksFileProblem[] {
  const path = issue.path;
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = knownKeys(checksFileSchema, path, data);
      const present = new Set(Object.keys(asRecord(valueAt(data, path)) ?? {}));
      return issue.keys.map((key) => {
        const guess = closestWord(
          key,
          allowed.filter((name) => !present.has(name)),
        );
        const advice = guess
          ? `: did you mean "${guess}"?`
          : allowed.length > 0
            ? ` (allowed here: ${allowed.join(', ')})`
            : '';
        return {
          path,
          key,
          message: at(placeOf(path, data), `unknown key "${key}"${advice}`),
          ...(guess ? { suggested: guess } : {}),
        };
      });
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator !== undefined) return [unknownCheckType(issue, data)];
      // A value that may be one of several types (text or a number): say all of them.
      const expected = issue.errors.map((errors) => errors.find((error) => error.code === 'invalid_type'));
      if (expected.some((error) => error === undefined)) return [plain(issue, data)];
      const words = expected.map((error) => expectedWords(error?.code === 'invalid_type' ? error.expected : ''));
      return [subjectProblem(path, data, `must be ${words.join(' or ')}, not ${valueWords(input)}`)];
    }
    case 'invalid_type': {
      if (input === undefined && path.length > 0) {
        const key = path[path.length - 1];
        return [{ ...subjectProblem(path, data, 'is missing'), missing: String(key) }];
      }
      if (path.length === 0) {
        return [
          {
            path,
            message:
              input === null || input === undefined
                ? 'the file is empty: it needs tables:, each table with a list of checks'
                : `the file must be a map with tables: in it, not ${valueWords(input)}`,
          },
        ];
      }
      if (isCheckPath(path)) {
        return [
          {
            path,
            message: at(
              placeOf(path, data),
              `a check is a map such as { check: not_null, column: email }, not ${valueWords(input)}`,
            ),
          },
        ];
      }
      if (input === null) {
        return [subjectProblem(path, data, `has no value: it must be ${expectedWords(issue.expected)}`)];
      }
      return [subjectProblem(path, data, `must be ${expectedWords(issue.expected)}, not ${valueWords(input)}`)];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const limit = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      if (issue.origin === 'array' || issue.origin === 'set') {
        const unit = path.length === 2 && path[0] === 'tables' ? 'check' : 'item';
        const listed = Array.isArray(input) ? `; it lists ${input.length}` : '';
        return [subjectProblem(path, data, `must list ${limit} ${countOf(Number(bound), unit)}${listed}`)];
      }
      if (issue.origin === 'string') {
        if (small && Number(bound) === 1) return [subjectProblem(path, data, 'must not be empty')];
        return [subjectProblem(path, data, `must be ${limit} ${countOf(Number(bound), 'character')} long`)];
      }
      const given = typeof input === 'number' ? `, not ${input}` : '';
      return [subjectProblem(path, data, `must be ${limit} ${String(bound)}${given}`)];
    }
    case 'invalid_format':
      // Every pattern in the schema carries its own explanation (see checks-file-schema.ts).
      return [
        subjectProblem(
          path,
          data,
          `is ${typeof input === 'string' ? JSON.stringify(input) : valueWords(input)}: ${issue.message}`,
        ),
      ];
    case 'invalid_value':
      return [
        subjectProblem(
          path,
          data,
          `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, not ${valueWords(input)}`,
        ),
      ];
    case 'custom':
      // Refinements in the schema are already sentences ("range needs min, max or both").
      return [{ path, message: at(placeOf(path, data), issue.message), refinement: true }];
    default:
      return [plain(issue, data)];
  }
}

/** `check: not_empty` (or no `check:` at all): the valid types, and the closest one. */
function unknownCheckType(issue: z.core.$ZodIssue, data: unknown): ChecksFileProblem {
  const entryPath = issue.path.slice(0, -1);
  const given = asRecord(valueAt(data, entryPath))?.check;
  const types = checkTypes.join(', ');
  if (given === undefined) {
    return {
      path: entryPath,
      missing: 'check',
      message: at(placeOf(entryPath, data), `"check" is missing; use one of ${types}`),
    };
  }
  const guess = typeof given === 'string' ? closestWord(given, checkTypes) : undefined;
  const shown = typeof given === 'string' ? `"${given}"` : valueWords(given);
  return {
    path: issue.path,
    message: at(
      placeOf(entryPath, data),
      `unknown check type ${shown}${guess ? ` (did you mean "${guess}"?)` : ''}; use one of ${types}`,
    ),
  };
}

/** An issue we have no better words for: zod's message, at its place. */
function plain(issue: z.core.$ZodIssue, data: unknown): ChecksFileProblem {
  return { path: issue.path, message: at(placeOf(issue.path, data), issue.message) };
}

/**
 * A sentence about the value at `path`: `<place of its parent>: "<key>" <predicate>`,
 * or `item 2 of "columns" <predicate>` for an element of a list.
 */
function subjectProblem(path: readonly PropertyKey[], data: unknown, predicate: string): ChecksFileProblem {
  if (path.length === 0 || isCheckPath(path)) return { path, message: at(placeOf(path, data), predicate) };
  const last = path[path.length - 1];
  if (typeof last === 'number' && path.length >= 2 && !isCheckPath(path.slice(0, -1))) {
    const parentPath = path.slice(0, -1);
    const parent = String(parentPath[parentPath.length - 1]);
    return {
      path,
      message: at(placeOf(parentPath.slice(0, -1), data), `item ${last + 1} of "${parent}" ${predicate}`),
    };
  }
  return { path, message: at(placeOf(path.slice(0, -1), data), `"${String(last)}" ${predicate}`) };
}

/**
 * Where in the file's structure: `tables.dim_customer, check 2 (sql "no_refunds"), fail`.
 * Checks are counted from 1 in the order written, and named by their type (and name),
 * which is how people find them in the file; zod's `tables.dim_customer.1` is not.
 */
export function placeOf(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] !== 'tables' || path.length < 2) return path.map(String).join('.');
  const table = `tables.${String(path[1])}`;
  const index = path[2];
  if (typeof index !== 'number') return [table, ...path.slice(2).map(String)].join('.');
  const rest = path.slice(3).map(String).join('.');
  return `${table}, check ${index + 1}${checkLabel(valueAt(data, path.slice(0, 3)))}${rest ? `, ${rest}` : ''}`;
}

/** ` (not_null)`, ` (sql "no_refunds")`, or nothing when the entry says neither. */
function checkLabel(entry: unknown): string {
  const record = asRecord(entry);
  const type = record?.check;
  const name = record?.name;
  const parts = [
    typeof type === 'string' && (checkTypes as readonly string[]).includes(type) ? type : undefined,
    typeof name === 'string' ? `"${name}"` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

/** `tables.t, check 1` — one entry of a table's list of checks. */
function isCheckPath(path: readonly PropertyKey[]): boolean {
  return path.length === 3 && path[0] === 'tables' && typeof path[2] === 'number';
}

function at(place: string, sentence: string): string {
  return place ? `${place}: ${sentence}` : sentence;
}

/** What zod expected, as a checks file's author would say it. */
function expectedWords(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    tuple: 'a list',
    object: 'a map (key: value)',
    record: 'a map (key: value)',
    date: 'a date',
    null: 'empty (~)',
  };
  return words[expected] ?? `a ${expected}`;
}

/** What was given: `the text "5%"`, `the number 7`, `a list`… */
function valueWords(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'empty';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
