/**
 * Text from a template literal (SQL, mostly) without its blank first and last lines and
 * without the indentation all its lines share, so it prints flush wherever it is shown.
 *
 * @example
 * dedent('\n    select 1\n      from t\n  ') // → 'select 1\n  from t'
 */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\s*\n/, '')
    .trimEnd()
    .split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common)).join('\n');
}
