// dbt's node selection (graph/selector.py, selector_methods.py): --select / --exclude
// with methods, graph operators, set operations and eager indirect selection of tests.
import { UsageError } from '@mart/shared';
import type { StateManifest } from '../artifacts/state-manifest.ts';
import { closestNames } from '../manifest/closest-names.ts';
import type { Manifest, ManifestNode, ResourceType, SourceNode } from '../manifest/types.ts';
import { fnmatch, hasWildcard, pathGlob } from './fnmatch.ts';
import { parseSelectors, type SelectionCriterion } from './parse-selector.ts';
import { matchesState, stateSelectors } from './state-comparison.ts';

/** Options for {@link selectNodes}. */
export interface SelectNodesOptions {
  /** `--select` arguments; empty = everything. */
  select: readonly string[];
  /** `--exclude` arguments. */
  exclude: readonly string[];
  /** The command's resource types (run → model; test → test; build → all of them). */
  resourceTypes: readonly ResourceType[];
  /** The saved manifest for `state:` selectors (`--state DIR`). */
  stateManifest?: StateManifest | undefined;
  /** Told about criteria that match nothing, and about an empty selection ("No nodes selected!"). */
  onWarning?: ((message: string) => void) | undefined;
}

/** The selection methods, for "did you mean". */
export const selectionMethods = [
  'fqn',
  'tag',
  'path',
  'file',
  'package',
  'config',
  'resource_type',
  'source',
  'test_name',
  'test_type',
  'state',
] as const;

const resourceTypeNames = [
  'model',
  'seed',
  'snapshot',
  'test',
  'source',
  'analysis',
  'exposure',
  'metric',
  'unit_test',
];
const testTypes = ['generic', 'schema', 'singular', 'data'];

type Item = ManifestNode | SourceNode;

/**
 * The unique_ids a `--select` / `--exclude` pair selects, sorted: union of the
 * space-separated parts, intersection of comma-separated ones, minus the excluded
 * ones; each criterion with its graph operators and its tests (a test comes along when
 * any of its parents is selected, dbt's default "eager" mode, on both sides).
 * An unknown method or an impossible value is a UsageError with the closest names.
 *
 * @example
 * selectNodes(manifest, { select: ['+orders'], exclude: [], resourceTypes: ['model'] })
 * // → ['model.shop.orders', 'model.shop.stg_orders']
 */
export function selectNodes(manifest: Manifest, options: SelectNodesOptions): string[] {
  const selector = new Selector(manifest, options);
  const include = options.select.length > 0 ? selector.union(parseSelectors(options.select)) : selector.everything();
  const exclude = selector.union(parseSelectors(options.exclude));
  const types = new Set(options.resourceTypes);
  const out = [...include]
    .filter((id) => !exclude.has(id))
    .filter((id) => {
      const item = selector.item(id);
      return item !== undefined && types.has(item.resourceType);
    })
    .sort();
  if (out.length === 0) options.onWarning?.('No nodes selected!');
  return out;
}

class Selector {
  private readonly items = new Map<string, Item>();

  private readonly manifest: Manifest;
  private readonly options: SelectNodesOptions;

  constructor(manifest: Manifest, options: SelectNodesOptions) {
    this.manifest = manifest;
    this.options = options;
    for (const node of manifest.nodes.values()) this.items.set(node.uniqueId, node);
    for (const source of manifest.sources.values()) this.items.set(source.uniqueId, source);
  }

  item(id: string): Item | undefined {
    return this.items.get(id);
  }

  everything(): Set<string> {
    return new Set(this.items.keys());
  }

  union(groups: SelectionCriterion[][]): Set<string> {
    const out = new Set<string>();
    for (const group of groups) {
      let current: Set<string> | undefined;
      for (const criterion of group) {
        const selected = this.criterion(criterion);
        current = current ? new Set([...current].filter((id) => selected.has(id))) : selected;
      }
      for (const id of current ?? []) out.add(id);
    }
    return out;
  }

  /** One criterion: the method's matches, the graph operators, then the tests they bring. */
  private criterion(criterion: SelectionCriterion): Set<string> {
    const direct = this.matches(criterion);
    if (direct.size === 0) {
      const hint = this.suggestion(criterion);
      this.options.onWarning?.(
        `The selection criterion '${criterion.raw}' does not match any enabled nodes${hint ? `. ${hint}` : ''}`,
      );
    }
    const selected = new Set(direct);
    if (criterion.childrensParents) {
      for (const id of this.walk(direct, 'children', Number.POSITIVE_INFINITY)) selected.add(id);
      for (const id of this.walk(new Set(selected), 'parents', Number.POSITIVE_INFINITY)) selected.add(id);
    }
    if (criterion.parentsDepth !== null)
      for (const id of this.walk(direct, 'parents', criterion.parentsDepth)) selected.add(id);
    if (criterion.childrenDepth !== null)
      for (const id of this.walk(direct, 'children', criterion.childrenDepth)) selected.add(id);
    // Eager indirect selection: a test whose parents include a selected node.
    for (const id of [...selected]) {
      for (const child of this.manifest.childMap.get(id) ?? []) {
        if (this.items.get(child)?.resourceType === 'test') selected.add(child);
      }
    }
    return selected;
  }

  private walk(start: Set<string>, direction: 'parents' | 'children', depth: number): Set<string> {
    const map = direction === 'parents' ? this.manifest.parentMap : this.manifest.childMap;
    const out = new Set<string>();
    let frontier = [...start];
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const other of map.get(id) ?? []) {
          if (!out.has(other) && !start.has(other)) {
            out.add(other);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  private matches(criterion: SelectionCriterion): Set<string> {
    const { method, value } = criterion;
    const nodes = [...this.manifest.nodes.values()];
    const all = [...this.items.values()];
    const ids = (items: Item[]) => new Set(items.map((item) => item.uniqueId));
    switch (method) {
      case 'fqn':
        return ids(nodes.filter((node) => fqnMatches(node.fqn, value)));
      case 'tag':
        return ids(all.filter((item) => item.tags.some((tag) => fnmatch(tag, value))));
      case 'path': {
        const pattern = value.replace(/\/+$/, '');
        return ids(
          all.filter((item) => {
            const paths = [item.originalFilePath, ...parentDirs(item.originalFilePath)];
            if (item.resourceType !== 'source' && item.patchPath) paths.push(item.patchPath);
            return paths.some((path) => path === pattern || pathGlob(path, pattern));
          }),
        );
      }
      case 'file':
        return ids(all.filter((item) => fnmatch(item.originalFilePath.split('/').pop() ?? '', value)));
      case 'package':
        return ids(all.filter((item) => fnmatch(item.packageName, value)));
      case 'config':
        return ids(all.filter((item) => configMatches(item.config, criterion.methodArgs, value)));
      case 'resource_type':
        if (!resourceTypeNames.includes(value)) {
          throw new UsageError(`'${value}' is not a valid resource_type`, {
            hint: hintFor(value, resourceTypeNames, 'Resource types'),
          });
        }
        return ids(all.filter((item) => item.resourceType === value));
      case 'source': {
        const parts = value.split('.');
        const [pkg, source, table] =
          parts.length >= 3 ? parts : parts.length === 2 ? ['*', parts[0], parts[1]] : ['*', parts[0], '*'];
        return ids(
          [...this.manifest.sources.values()].filter(
            (item) =>
              fnmatch(item.packageName, pkg ?? '*') &&
              fnmatch(item.sourceName, source ?? '*') &&
              fnmatch(item.name, table ?? '*'),
          ),
        );
      }
      case 'test_name':
        return ids(nodes.filter((node) => node.testMetadata && fnmatch(node.testMetadata.name, value)));
      case 'test_type':
        if (!testTypes.includes(value)) {
          throw new UsageError(`'${value}' is not a valid test_type`, {
            hint: hintFor(value, testTypes, 'Test types'),
          });
        }
        return ids(
          nodes.filter(
            (node) =>
              node.resourceType === 'test' &&
              (value === 'data' ||
                ((value === 'generic' || value === 'schema') && node.testMetadata !== null) ||
                (value === 'singular' && node.testMetadata === null)),
          ),
        );
      case 'state': {
        const selector = [value, ...criterion.methodArgs].join('.');
        const full = criterion.methodArgs.length > 0 ? `${criterion.methodArgs.join('.')}` : value;
        const name = stateSelectors.includes(full as never) ? full : selector;
        if (!stateSelectors.includes(name as never)) {
          throw new UsageError(`'${name}' is not a valid state selector`, {
            hint: hintFor(name, stateSelectors, 'State selectors'),
          });
        }
        const state = this.options.stateManifest;
        if (!state) {
          throw new UsageError('Got a state selector method, but no comparison manifest', {
            hint: 'Pass --state DIR: the target folder of an earlier run, holding its manifest.json.',
          });
        }
        return ids(all.filter((item) => matchesState(item, name, this.manifest, state)));
      }
      default:
        throw new UsageError(`'${method}' is not a valid method name`, {
          hint: hintFor(method, selectionMethods, 'Selection methods'),
        });
    }
  }

  /** "Did you mean" for a criterion that matched nothing. */
  private suggestion(criterion: SelectionCriterion): string | undefined {
    const values: string[] = [];
    if (criterion.method === 'fqn') for (const node of this.manifest.nodes.values()) values.push(node.name);
    else if (criterion.method === 'tag') for (const item of this.items.values()) values.push(...item.tags);
    else if (criterion.method === 'source')
      for (const source of this.manifest.sources.values())
        values.push(source.sourceName, `${source.sourceName}.${source.name}`);
    else if (criterion.method === 'test_name')
      for (const node of this.manifest.nodes.values()) if (node.testMetadata) values.push(node.testMetadata.name);
    if (values.length === 0 || hasWildcard(criterion.value)) return undefined;
    const close = closestNames(criterion.value, values);
    return close.length > 0 ? `Did you mean ${close.map((name) => `'${name}'`).join(', or ')}?` : undefined;
  }
}

/**
 * dbt's fqn matching (`is_selected_node`), tried with and without the package name:
 * the last part equals the value, or the value's dot-separated parts are a prefix of
 * the fqn (a part with a wildcard matches the rest with fnmatch).
 */
export function fqnMatches(fqn: readonly string[], value: string): boolean {
  return matchOne(fqn, value) || matchOne(fqn.slice(1), value);
}

function matchOne(fqn: readonly string[], value: string): boolean {
  if (fqn.length === 0) return false;
  if (fqn[fqn.length - 1] === value) return true;
  const parts = fqn.flatMap((part) => part.split('.'));
  const selector = value.split('.');
  if (selector.length > parts.length) return false;
  for (let i = 0; i < selector.length; i++) {
    const part = selector[i] ?? '';
    if (hasWildcard(part)) return fnmatch(parts.slice(i).join('.'), selector.slice(i).join('.'));
    if (part !== parts[i]) return false;
  }
  return true;
}

function configMatches(config: Record<string, unknown>, keys: readonly string[], value: string): boolean {
  let current: unknown = config;
  for (const key of keys) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  const same = (item: unknown) => {
    if (typeof item === 'boolean') return item === (value.toLowerCase() === 'true') && /^(true|false)$/i.test(value);
    if (keys[0] === 'severity') return String(item).toLowerCase() === value.toLowerCase();
    return item !== null && item !== undefined && String(item) === value;
  };
  return Array.isArray(current) ? current.some(same) : same(current);
}

function parentDirs(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function hintFor(value: string, known: readonly string[], what: string): string {
  const close = closestNames(value, known);
  return `${close.length > 0 ? `Did you mean ${close.map((name) => `'${name}'`).join(', or ')}? ` : ''}${what}: ${known.join(', ')}.`;
}
