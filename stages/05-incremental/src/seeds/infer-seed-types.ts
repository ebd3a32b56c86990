// dbt's seed type inference (notes/dbt.md §3.1–3.2): agate's type tester with dbt's
// types, re-implemented value by value so a seed gets the column types dbt gives it.

/** The type dbt infers for a seed column (its SQL spelling is {@link seedSqlType}). */
export type SeedKind = 'integer' | 'float8' | 'date' | 'timestamp' | 'boolean' | 'text';

/** How dbt writes each inferred type in the seed's `create table`. */
export const seedSqlType: Record<SeedKind, string> = {
  integer: 'integer',
  float8: 'float8',
  date: 'date',
  timestamp: 'timestamp without time zone',
  boolean: 'boolean',
  text: 'text',
};

/** One column of a seed: its name, the type dbt gives it, and the SQL type it is created with. */
export interface SeedColumn {
  name: string;
  kind: SeedKind;
  /** `column_types` override (as written), or the inferred type's spelling. */
  sqlType: string;
  overridden: boolean;
}

/** agate's testers, in dbt's order (Integer, which never accepts CSV text, is left out). */
type Tester = 'number' | 'date' | 'datetime' | 'isodatetime' | 'boolean' | 'text';
const testers: readonly Tester[] = ['number', 'date', 'datetime', 'isodatetime', 'boolean', 'text'];

/**
 * The columns' types as dbt infers them: for each column, the first of Number, Date,
 * DateTime, ISODateTime, Boolean, Text that accepts every value (empty and `null`
 * values are accepted by all). Numbers are `integer` unless some value has decimal
 * places once trailing zeros go (`1.00` is an integer, `2.50` is not); an all-empty
 * column is `integer`. `columnTypes` (the seed's `column_types`) overrides by exact name,
 * and its values are read as text first (so `zip: varchar` keeps `007`).
 *
 * @example
 * inferSeedColumns(['id', 'zip'], [['007', '007'], ['2', '010']], { zip: 'varchar' })
 * // → [{ name: 'id', kind: 'integer', … }, { name: 'zip', kind: 'text', sqlType: 'varchar', overridden: true }]
 */
export function inferSeedColumns(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  columnTypes: Readonly<Record<string, string>> = {},
): SeedColumn[] {
  return header.map((name, index) => {
    const override = Object.hasOwn(columnTypes, name) ? columnTypes[name] : undefined;
    if (override !== undefined) return { name, kind: 'text', sqlType: String(override), overridden: true };
    const kind = inferKind(rows.map((row) => row[index] ?? ''));
    return { name, kind, sqlType: seedSqlType[kind], overridden: false };
  });
}

/** One column's type from its values. */
export function inferKind(values: readonly string[]): SeedKind {
  let remaining = [...testers];
  for (const value of values) {
    if (isNull(value)) continue;
    remaining = remaining.filter((tester) => accepts(tester, value));
    // Text accepts everything: once it is alone, the column is text.
    if (remaining.length === 1) break;
  }
  const first = remaining[0] ?? 'text';
  if (first === 'number') {
    // agate's MaxPrecision: the most decimal places any value has once normalized.
    // (agate skips NaN and Infinity there, which makes a column of them `integer` and its
    // load fail; we count them as decimals, so they load as float8.)
    let decimals = 0;
    for (const value of values) {
      const number = parseAgateNumber(value);
      if (number?.kind === 'finite') decimals = Math.max(decimals, number.decimals);
      else if (number?.kind === 'special') decimals = Math.max(decimals, 1);
    }
    return decimals > 0 ? 'float8' : 'integer';
  }
  if (first === 'date') return 'date';
  if (first === 'datetime' || first === 'isodatetime') return 'timestamp';
  if (first === 'boolean') return 'boolean';
  return 'text';
}

/** agate's null values for every type: empty (after trimming) and `null` in any case. */
export function isNull(value: string): boolean {
  const trimmed = value.trim().toLowerCase();
  return trimmed === '' || trimmed === 'null';
}

function accepts(tester: Tester, value: string): boolean {
  switch (tester) {
    case 'number':
      return parseAgateNumber(value) !== undefined;
    case 'date':
      return parseDate(value.trim()) !== undefined;
    case 'datetime':
      return parseDateTime(value.trim()) !== undefined;
    case 'isodatetime':
      return parseIsoDateTime(value.trim()) !== undefined;
    case 'boolean':
      return parseBoolean(value) !== undefined;
    case 'text':
      return true;
  }
}

/** A number as agate reads it: its exact decimal digits, or NaN/Infinity. */
export type AgateNumber =
  | {
      kind: 'finite';
      negative: boolean;
      /** Coefficient digits without leading zeros ('' for zero) and the power of ten, normalized (trailing zeros moved into the exponent). */
      digits: string;
      exponent: number;
      /** Decimal places once normalized: `1.50` → 1, `1.00` → 0, `1e3` → 0. */
      decimals: number;
    }
  | { kind: 'special'; text: 'nan' | 'inf' | '-inf' };

const currencySymbols = ['؋', '$', 'ƒ', '៛', '¥', '₡', '₱', '£', '€', '¢', '﷼', '₪', '₩', '₭', '₮', '₦', '฿', '₤', '₫'];
const decimalPattern =
  /^\s*([+-])?(?:(\d(?:_?\d)*)(?:\.((?:\d(?:_?\d)*)?))?|\.(\d(?:_?\d)*))(?:[eE]([+-]?\d(?:_?\d)*))?\s*$/;
const specialPattern = /^\s*([+-])?(inf|infinity|s?nan\d*)\s*$/i;

/**
 * agate's Number cast (locale en_US): trim; `%` stripped from the ends; a leading `-`
 * noted; currency symbols stripped from the ends; `,` group separators removed; then
 * Python's Decimal grammar (`1e3`, `.5`, `1_000`, `NaN`, `Infinity`). `True` is not a
 * number. Undefined when it is not one.
 */
export function parseAgateNumber(value: string): AgateNumber | undefined {
  let text = value.trim();
  text = stripChars(text, '%');
  let negative = false;
  if (text.startsWith('-')) {
    text = text.slice(1);
    negative = true;
  }
  for (const symbol of currencySymbols) text = stripChars(text, symbol);
  text = text.replaceAll(',', '');
  const special = specialPattern.exec(text);
  if (special) {
    const name = (special[2] ?? '').toLowerCase();
    if (name.includes('nan')) return { kind: 'special', text: 'nan' };
    const minus = negative !== (special[1] === '-');
    return { kind: 'special', text: minus ? '-inf' : 'inf' };
  }
  const match = decimalPattern.exec(text);
  if (!match) return undefined;
  if (match[1] === '-') negative = !negative;
  const whole = (match[2] ?? '').replaceAll('_', '');
  const fraction = (match[3] ?? match[4] ?? '').replaceAll('_', '');
  const exponentText = (match[5] ?? '0').replaceAll('_', '');
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let exponent = Number(exponentText) - fraction.length;
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  if (digits === '') exponent = 0;
  else if (trailing > 0) {
    digits = digits.slice(0, digits.length - trailing);
    exponent += trailing;
  }
  return { kind: 'finite', negative: negative && digits !== '', digits, exponent, decimals: Math.max(0, -exponent) };
}

/** Python's str.strip(char): the character removed from both ends, repeatedly. */
function stripChars(text: string, char: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.startsWith(char, start)) start += char.length;
  while (end > start && text.endsWith(char, end)) end -= char.length;
  return text.slice(start, end);
}

const month = '(1[0-2]|0[1-9]|[1-9])';
const day = '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])';
const datePattern = new RegExp(`^(\\d{4})-${month}-${day}$`);
const dateTimePattern = new RegExp(`^(\\d{4})-${month}-${day}\\s+(2[0-3]|[01]\\d|\\d):([0-5]\\d|\\d):([0-5]\\d|\\d)$`);

/** `%Y-%m-%d` as Python's strptime reads it (`2024-1-5` too), a real calendar day. */
export function parseDate(text: string): { y: number; m: number; d: number } | undefined {
  const match = datePattern.exec(text);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number((match[3] ?? '').trim())];
  return validDay(y, m, d) ? { y, m, d } : undefined;
}

/** `%Y-%m-%d %H:%M:%S` exactly (no fractional seconds), as Python's strptime reads it. */
export function parseDateTime(text: string): string | undefined {
  const match = dateTimePattern.exec(text);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number((match[3] ?? '').trim())];
  if (!validDay(y, m, d)) return undefined;
  return `${isoDay(y, m, d)} ${pad(match[4])}:${pad(match[5])}:${pad(match[6])}`;
}

const isoDatePart = /^(\d{4})-?(\d\d)-?(\d\d)$/;
const isoTimePart = /^(\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d+))?)?)?(Z|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * isodate's parse_datetime, the forms seeds use: a calendar date (`2024-01-05` or
 * `20240105`), `T`, a time (`10`, `10:00`, `10:00:00`, fractions with `.` or `,`,
 * basic `100000`) and an optional zone (`Z`, `+02`, `+02:00`). Returned as the text
 * Python's isoformat() gives, which dbt-duckdb hands to DuckDB.
 */
export function parseIsoDateTime(text: string): string | undefined {
  const parts = text.split('T');
  if (parts.length !== 2) return undefined;
  const date = isoDatePart.exec(parts[0] ?? '');
  const time = isoTimePart.exec(parts[1] ?? '');
  if (!date || !time) return undefined;
  const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!validDay(y, m, d)) return undefined;
  const [hh, mm, ss] = [Number(time[1]), Number(time[2] ?? 0), Number(time[3] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const micros = time[4] ? (time[4] ?? '').slice(0, 6).padEnd(6, '0') : '';
  const zone = time[5];
  let offset = '';
  if (zone === 'Z') offset = '+00:00';
  else if (zone) {
    const digits = zone.slice(1).replace(':', '');
    offset = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
  }
  const fraction = micros && Number(micros) !== 0 ? `.${micros}` : '';
  return `${isoDay(y, m, d)}T${pad(hh)}:${pad(mm)}:${pad(ss)}${fraction}${offset}`;
}

/** agate's Boolean with dbt's values: `true` / `false` in any case (not yes/no, t/f, 1/0). */
export function parseBoolean(value: string): boolean | undefined {
  const text = value.replaceAll(',', '').trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, m, 0)).getUTCDate();
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 ? (leap ? 29 : 28) : days);
}

function isoDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
}

function pad(value: number | string | undefined): string {
  return String(Number(value ?? 0)).padStart(2, '0');
}

/**
 * A value as the text DuckDB casts to the column's type: what agate made of it
 * (`$1,234.50` → `1234.50`, `2024-1-5` → `2024-01-05`, `TRUE` → `true`), null for
 * empty and `null`. Text keeps the value exactly as written.
 */
export function seedValue(kind: SeedKind, value: string): string | null {
  if (isNull(value)) return null;
  switch (kind) {
    case 'integer':
    case 'float8': {
      const number = parseAgateNumber(value);
      if (!number) return value;
      if (number.kind === 'special') return number.text;
      return kind === 'integer' ? integerText(number) : decimalText(number);
    }
    case 'date': {
      const date = parseDate(value.trim());
      return date ? isoDay(date.y, date.m, date.d) : value;
    }
    case 'timestamp':
      return parseDateTime(value.trim()) ?? parseIsoDateTime(value.trim()) ?? value;
    case 'boolean': {
      const bool = parseBoolean(value);
      return bool === undefined ? value : String(bool);
    }
    case 'text':
      return value;
  }
}

function integerText(number: Extract<AgateNumber, { kind: 'finite' }>): string {
  if (number.digits === '') return '0';
  return `${number.negative ? '-' : ''}${number.digits}${'0'.repeat(Math.max(0, number.exponent))}`;
}

function decimalText(number: Extract<AgateNumber, { kind: 'finite' }>): string {
  if (number.digits === '') return '0';
  return `${number.negative ? '-' : ''}${number.digits}e${number.exponent}`;
}
