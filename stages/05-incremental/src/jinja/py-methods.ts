// Python's string methods, which Jinja templates call on strings (`'x'.upper()`,
// `', '.join(cols)`). nunjucks exposes JavaScript's instead, and some of those have the
// same name and another meaning (`replace` changes only the first match), so these are
// looked up first (see patches.ts).

/** The string methods a dbt project's Jinja calls, with Python's meaning. */
export const pyStringMethods: Record<string, (this: string, ...args: unknown[]) => unknown> = {
  upper() {
    return this.toUpperCase();
  },
  lower() {
    return this.toLowerCase();
  },
  strip(chars?: unknown) {
    return typeof chars === 'string' ? trimChars(this, chars) : this.trim();
  },
  lstrip() {
    return this.trimStart();
  },
  rstrip() {
    return this.trimEnd();
  },
  split(separator?: unknown) {
    return typeof separator === 'string' ? this.split(separator) : this.trim().split(/\s+/);
  },
  startswith(prefix: unknown) {
    return this.startsWith(String(prefix));
  },
  endswith(suffix: unknown) {
    return this.endsWith(String(suffix));
  },
  // Python replaces every match; JavaScript's String#replace only the first.
  replace(from: unknown, to: unknown) {
    return this.split(String(from)).join(String(to));
  },
  join(items: unknown) {
    return Array.isArray(items) ? items.map(String).join(this) : String(items);
  },
  title() {
    return this.replace(/\w\S*/g, (word) => `${word.charAt(0).toUpperCase()}${word.slice(1).toLowerCase()}`);
  },
  format(...args: unknown[]) {
    const last = args[args.length - 1];
    const keywords =
      last && typeof last === 'object' && '__keywords' in last ? (args.pop() as Record<string, unknown>) : {};
    let next = 0;
    return this.replace(/\{(\w*)\}/g, (_match, key: string) =>
      String(key === '' ? args[next++] : /^\d+$/.test(key) ? args[Number(key)] : keywords[key]),
    );
  },
};

/**
 * Python's `'%s_%s' % (a, b)`: nunjucks would compute a JavaScript remainder (NaN).
 *
 * @example
 * pyPercent('%s_%d', ['a', 1.7]) // → 'a_1'
 */
export function pyPercent(format: string, argument: unknown): string {
  const args = Array.isArray(argument) ? [...argument] : [argument];
  return format.replace(/%([sdifr%])/g, (_match, code: string) => {
    if (code === '%') return '%';
    const value = args.shift();
    return code === 'd' || code === 'i' ? String(Math.trunc(Number(value))) : String(value);
  });
}

function trimChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text.charAt(start))) start++;
  while (end > start && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}
