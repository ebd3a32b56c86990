import { createHash } from 'node:crypto';
import { pyRepr, pyStr } from './python-repr.ts';
import type { TestMetadata } from './types.ts';

/** What a generic test is called, as dbt names it (generic_test_builders.py). */
export interface GenericTestName {
  /** The name in unique_id and fqn: `accepted_values_orders_status__placed__shipped`. */
  fullName: string;
  /** The alias and file name: the full name, or a shortened one with an md5 when 64 characters or more. */
  shortName: string;
}

/** Options for {@link genericTestName}. */
export interface GenericTestNameOptions {
  /** The test: `not_null`, `relationships`, a custom test's name. */
  testName: string;
  /** `dbt_utils` for `dbt_utils.expression_is_true`, else null. */
  namespace: string | null;
  /** Whether the test is on a source table (the name then starts with `source_`). */
  isSource: boolean;
  /** The model's name, or `<source>_<table>`. */
  targetName: string;
  /** The test's arguments without configs and without `model`, `column_name` included. */
  args: Record<string, unknown>;
  /** A `name:` the user gave, which replaces both names. */
  userName?: string | undefined;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * dbt's generic test name: `<test>_<target>_<flattened args>`, shortened when 64
 * characters or more.
 *
 * @example
 * genericTestName({ testName: 'not_null', namespace: null, isSource: false, targetName: 'orders',
 *   args: { column_name: 'order_id' } }) // → { fullName: 'not_null_orders_order_id', shortName: … }
 */
export function genericTestName(options: GenericTestNameOptions): GenericTestName {
  if (options.userName) return { fullName: options.userName, shortName: options.userName };
  const prefix = options.namespace ? `${options.namespace}_` : '';
  const testType = `${options.isSource ? 'source_' : ''}${prefix}${options.testName}`;
  const flat: string[] = [];
  for (const key of Object.keys(options.args).sort()) {
    if (key === 'model') continue;
    const value = options.args[key];
    const parts = Array.isArray(value)
      ? value
      : value && typeof value === 'object' && !(value instanceof Date)
        ? Object.values(value)
        : [value];
    for (const part of parts) flat.push(pyStr(part).replace(/[^0-9a-zA-Z_]+/g, '_'));
  }
  const fullName = `${testType}_${options.targetName}_${flat.join('__')}`;
  const shortName =
    fullName.length >= 64 ? `${`${testType}_${options.targetName}`.slice(0, 30)}_${md5(fullName)}` : fullName;
  return { fullName, shortName };
}

/**
 * The 10-character suffix of a generic test's unique_id: an md5 over the full name and
 * Python's repr of the test metadata with dict keys sorted and scalars as str().
 *
 * @example
 * genericTestHash('not_null_orders_order_id', { name: 'not_null', namespace: null,
 *   kwargs: { column_name: 'order_id', model: "{{ get_where_subquery(ref('orders')) }}" } }) // → 'cf6c17daed'
 */
export function genericTestHash(fullName: string, metadata: TestMetadata): string {
  return md5(`${fullName}${pyRepr(hashable(metadata))}`).slice(-10);
}

function hashable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashable);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, hashable(record[key])]),
    );
  }
  return pyStr(value);
}
