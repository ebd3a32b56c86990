import { UsageError } from '@mart/shared';

/** One selection criterion: `2+config.materialized:incremental+` → its parts. */
export interface SelectionCriterion {
  /** The text as written. */
  raw: string;
  /** `fqn`, `tag`, `path`, `config`… (the default one is inferred from the value). */
  method: string;
  /** `config.materialized` → ['materialized']; `state:modified.body` keeps the value `modified.body`. */
  methodArgs: string[];
  value: string;
  /** `@x`. */
  childrensParents: boolean;
  /** `+x` (Infinity) or `2+x`; null without a leading `+`. */
  parentsDepth: number | null;
  /** `x+` (Infinity) or `x+3`; null without a trailing `+`. */
  childrenDepth: number | null;
}

// dbt's RAW_SELECTOR_PATTERN (graph/selector_spec.py).
const pattern =
  /^(?<childrensParents>@)?(?<parents>(?<parentsDepth>\d*)\+)?((?<method>[\w.]+):)?(?<value>.*?)(?<children>\+(?<childrenDepth>\d*))?$/s;

/**
 * Parses one criterion of a selector, with dbt's default method: a value containing `/`
 * is a `path:`, one ending in `.sql`, `.py` or `.csv` a `file:`, anything else an `fqn:`.
 *
 * @example
 * parseCriterion('+tag:nightly') // → { method: 'tag', value: 'nightly', parentsDepth: Infinity, … }
 */
export function parseCriterion(raw: string): SelectionCriterion {
  const match = pattern.exec(raw);
  const groups = match?.groups;
  if (!groups) throw new UsageError(`Invalid selector: ${raw}`);
  if (groups.childrensParents && groups.children) {
    throw new UsageError(`Invalid selector "${raw}": "@" prefix and "+" suffix are incompatible`);
  }
  const value = groups.value ?? '';
  const methodText = groups.method ?? defaultMethod(value);
  const [method = 'fqn', ...methodArgs] = methodText.split('.');
  return {
    raw,
    method,
    methodArgs,
    value,
    childrensParents: Boolean(groups.childrensParents),
    parentsDepth: groups.parents ? depth(groups.parentsDepth) : null,
    childrenDepth: groups.children ? depth(groups.childrenDepth) : null,
  };
}

/**
 * `--select` / `--exclude` arguments → a union (space or separate arguments) of
 * intersections (commas) of criteria.
 *
 * @example
 * parseSelectors(['tag:a,config.materialized:table', 'orders']) // → [[tag:a, config…], [orders]]
 */
export function parseSelectors(args: readonly string[]): SelectionCriterion[][] {
  return args
    .flatMap((arg) => arg.split(/\s+/))
    .filter((part) => part !== '')
    .map((part) =>
      part
        .split(',')
        .filter((piece) => piece !== '')
        .map(parseCriterion),
    );
}

function defaultMethod(value: string): string {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|py|csv)$/i.test(value)) return 'file';
  return 'fqn';
}

function depth(text: string | undefined): number {
  return text ? Number(text) : Number.POSITIVE_INFINITY;
}
