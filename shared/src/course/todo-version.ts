import type { Exercise } from './curriculum.ts';

const solutionStart = /^(\s*)\/\/ #region solution$/;
const helperStart = /^\s*\/\/ #region solution-only$/;
const regionEnd = /^\s*\/\/ #endregion$/;
const notImplementedImport = "import { NotImplementedError } from '@mart/shared';";

/**
 * Turns a reference solution into the exercise a learner starts from. In solutions/,
 * the code a learner must write sits between markers:
 *
 *     // #region solution          → replaced by `throw new NotImplementedError('<key>')`
 *     // #region solution-only     → removed (helpers only the reference needs)
 *     // #endregion
 *
 * Everything else (signatures, types, doc comments) is kept, so exercises/ and
 * solutions/ differ in exactly what the learner writes, and `pnpm reset` can always
 * recreate a pristine exercise without keeping a second copy of it.
 *
 * @example
 * todoVersion(readFileSync('solutions/01-star-schema/date-dimension.ts', 'utf8'), exercise)
 */
export function todoVersion(solution: string, exercise: Pick<Exercise, 'key'>): string {
  const out: string[] = [];
  let inRegion = false;
  let replaced = false;
  for (const line of solution.split('\n')) {
    const start = solutionStart.exec(line);
    if (!inRegion && start) {
      out.push(`${start[1]}throw new NotImplementedError('${exercise.key}');`);
      inRegion = true;
      replaced = true;
    } else if (!inRegion && helperStart.test(line)) {
      inRegion = true;
    } else if (inRegion && regionEnd.test(line)) {
      inRegion = false;
    } else if (!inRegion) {
      out.push(line);
    }
  }
  if (inRegion) throw new Error(`${exercise.key}: a "// #region solution" has no "// #endregion".`);
  const imported = out.some((line) => /^import .*\bNotImplementedError\b/.test(line));
  const lines = !replaced || imported ? out : addImport(out, notImplementedImport);
  // Removing a region can leave blank lines behind; keep the output formatter-clean.
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/**
 * Puts the import where the formatter's import sorting wants it: merged into a value
 * import from @mart/shared if there is one; else after a type import from it; else
 * before the first import from a package or path that sorts after it.
 */
function addImport(lines: string[], importLine: string): string[] {
  // Already importing values from @mart/shared? Add the name there, sorted as Biome does.
  const shared = lines.findIndex((line) => /^import \{ .* \} from '@mart\/shared';$/.test(line));
  if (shared !== -1) {
    const names = (/\{ (.*) \}/.exec(lines[shared] ?? '')?.[1] ?? '').split(', ');
    const sortKey = (name: string) => name.replace(/^type /, '').toLowerCase();
    names.push('NotImplementedError');
    names.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    return lines.map((line, i) => (i === shared ? `import { ${names.join(', ')} } from '@mart/shared';` : line));
  }
  const typeImport = lines.findIndex((line) => /^import type \{ .* \} from '@mart\/shared';$/.test(line));
  if (typeImport !== -1) return [...lines.slice(0, typeImport + 1), importLine, ...lines.slice(typeImport + 1)];
  const source = (line: string) => /^import .* from '(.*)';$/.exec(line)?.[1];
  const after = lines.findIndex((line) => {
    const from = source(line);
    return from !== undefined && !from.startsWith('node:') && from > '@mart/shared';
  });
  if (after !== -1) return [...lines.slice(0, after), importLine, ...lines.slice(after)];
  const last = lines.reduce((found, line, i) => (source(line) !== undefined ? i : found), -1);
  if (last === -1) return [importLine, '', ...lines];
  return [...lines.slice(0, last + 1), importLine, ...lines.slice(last + 1)];
}
