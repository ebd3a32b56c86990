// Python's str() and repr() of YAML values, because dbt builds generic test names and
// their hash suffixes from them: the same text gives the same unique_id as dbt's.

/**
 * Python's `repr()` of a value parsed from YAML (str, int, float, bool, None, list, dict).
 *
 * @example
 * pyRepr({ model: "{{ ref('x') }}" }) // → {'model': "{{ ref('x') }}"}
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Date) return pyStringRepr(value.toISOString());
  if (typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return pyStringRepr(String(value));
}

/** Python's `str()`: strings as they are, everything else as repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function pyNumber(value: number): string {
  if (Number.isInteger(value) && !Object.is(value, -0)) return String(value);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const text = String(value);
  return text.includes('.') || text.includes('e') ? text.replace(/e([+-])(\d)$/, 'e$10$2') : `${text}.0`;
}

/** Python quotes with ' unless the text has ' and no " (then with "). */
function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const char of text) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)
      out += `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${quote}${out}${quote}`;
}
