import type { StateManifest, StateNode } from '../artifacts/state-manifest.ts';
import type { Manifest, ManifestNode, SourceNode } from '../manifest/types.ts';

/** The `state:` selectors: `new`, `old`, `modified`, `unmodified`, and modified's parts. */
export const stateSelectors = [
  'new',
  'old',
  'modified',
  'unmodified',
  'modified.body',
  'modified.configs',
  'modified.relation',
  'modified.macros',
  'modified.persisted_descriptions',
  'modified.contract',
] as const;

/** Config keys state:modified.configs does not compare (dbt's CompareBehavior.Exclude). */
const notCompared = new Set(['alias', 'schema', 'database', 'tags', 'group']);

/**
 * Whether a node matches `state:<selector>` against the saved manifest, as dbt decides
 * it: new = not in the old manifest; modified = new, or its SQL (a seed: its checksum),
 * its configs as written, its relation settings, its fqn, or a macro it calls changed.
 */
export function matchesState(
  node: ManifestNode | SourceNode,
  selector: string,
  manifest: Manifest,
  state: StateManifest,
): boolean {
  const old = state.nodes.get(node.uniqueId);
  switch (selector) {
    case 'new':
      return old === undefined;
    case 'old':
      return old !== undefined;
    case 'unmodified':
      return old !== undefined && !modified(node, old, manifest, state);
    case 'modified':
      return old === undefined || modified(node, old, manifest, state);
    case 'modified.body':
      return old === undefined || bodyChanged(node, old);
    case 'modified.configs':
      return old === undefined || configsChanged(node, old);
    case 'modified.relation':
      return old === undefined || relationChanged(node, old);
    case 'modified.macros':
      return old === undefined || macrosChanged(node, manifest, state);
    default:
      // persisted_descriptions / contract: never persisted or enforced by this runner.
      return old === undefined;
  }
}

function modified(node: ManifestNode | SourceNode, old: StateNode, manifest: Manifest, state: StateManifest): boolean {
  return (
    bodyChanged(node, old) ||
    configsChanged(node, old) ||
    relationChanged(node, old) ||
    JSON.stringify(node.fqn) !== JSON.stringify(old.fqn) ||
    macrosChanged(node, manifest, state)
  );
}

function bodyChanged(node: ManifestNode | SourceNode, old: StateNode): boolean {
  if (node.resourceType === 'source') return false;
  if (node.resourceType === 'seed') return node.checksum.checksum !== old.checksum;
  if (node.testMetadata) return false; // generated: dbt compares config and fqn only
  return node.rawCode !== old.rawCode;
}

function configsChanged(node: ManifestNode | SourceNode, old: StateNode): boolean {
  const mine = node.unrenderedConfig ?? {};
  const keys = new Set([...Object.keys(mine), ...Object.keys(old.unrenderedConfig)]);
  for (const key of keys) {
    if (notCompared.has(key)) continue;
    if (!sameValue(mine[key], old.unrenderedConfig[key])) return true;
  }
  return false;
}

function relationChanged(node: ManifestNode | SourceNode, old: StateNode): boolean {
  const mine = node.unrenderedConfig ?? {};
  return ['database', 'schema', 'alias'].some((key) => !sameValue(mine[key], old.unrenderedConfig[key]));
}

function macrosChanged(node: ManifestNode | SourceNode, manifest: Manifest, state: StateManifest): boolean {
  if (node.resourceType === 'source') return false;
  const seen = new Set<string>();
  const queue = [...node.dependsOn.macros];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const macro = manifest.macros.get(id);
    // dbt's own macros: ours are written differently from dbt's, and neither is the user's change.
    if (id.startsWith('macro.dbt.')) continue;
    if (!macro || state.macros.get(id) !== macro.macroSql) return true;
    queue.push(...(macro.dependsOnMacros ?? []));
  }
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
