import type { IncrementalPieces } from '../given/pieces.ts';
import { CompilationError } from '../jinja/compilation-error.ts';
import { closestNames } from './closest-names.ts';
import type { ManifestNode, NodePosition, RefCall, SourceNode } from './types.ts';

/** Options for {@link linkNodes}. */
export interface LinkOptions {
  projectName: string;
  nodes: Map<string, ManifestNode>;
  sources: Map<string, SourceNode>;
  disabled: Map<string, Array<ManifestNode | SourceNode>>;
  pieces: IncrementalPieces;
  warnings: string[];
}

/** The nodes a ref can point at. */
const refable = new Set(['model', 'seed', 'snapshot']);

/**
 * Resolves every node's refs and sources into `dependsOn.nodes`, builds parent_map and
 * child_map, and checks the DAG with the dag-order piece (a cycle → its DagCycleError).
 * An unknown ref or source of a model, seed or snapshot is a CompilationError at the
 * line that wrote it, with the closest names; a test pointing at nothing is dropped with
 * a warning, as dbt does.
 */
export function linkNodes(options: LinkOptions): { parentMap: Map<string, string[]>; childMap: Map<string, string[]> } {
  const { nodes, sources, disabled, projectName } = options;
  const byName = new Map<string, ManifestNode>();
  for (const node of nodes.values()) if (refable.has(node.resourceType)) byName.set(node.name, node);
  const disabledNames = new Set<string>();
  for (const list of disabled.values()) {
    for (const node of list)
      if (node.resourceType !== 'source' && refable.has(node.resourceType)) disabledNames.add(node.name);
  }
  const sourceKey = (s: SourceNode) => `${s.sourceName}.${s.name}`;
  const sourcesByKey = new Map([...sources.values()].map((source) => [sourceKey(source), source]));
  const disabledSources = new Set(
    [...disabled.values()].flat().flatMap((node) => (node.resourceType === 'source' ? [sourceKey(node)] : [])),
  );

  for (const node of [...nodes.values()]) {
    const deps: string[] = [];
    let missing: { problem: string; site: NodePosition | undefined; known: string[]; name: string } | undefined;
    node.refs.forEach((ref, index) => {
      const target = ref.package === null || ref.package === projectName ? byName.get(ref.name) : undefined;
      if (target) {
        if (!deps.includes(target.uniqueId)) deps.push(target.uniqueId);
        return;
      }
      missing ??= {
        problem: `depends on a node named '${ref.name}'${describeRef(ref)} which ${disabledNames.has(ref.name) ? 'is disabled' : 'was not found'}`,
        site: node.callSites?.refs[index],
        known: [...byName.keys()],
        name: ref.name,
      };
    });
    node.sources.forEach(([sourceName, tableName], index) => {
      const target = sourcesByKey.get(`${sourceName}.${tableName}`);
      if (target) {
        if (!deps.includes(target.uniqueId)) deps.push(target.uniqueId);
        return;
      }
      const key = `${sourceName}.${tableName}`;
      missing ??= {
        problem: `depends on a source named '${key}' which ${disabledSources.has(key) ? 'is disabled' : 'was not found'}`,
        site: node.callSites?.sources[index],
        known: [...sourcesByKey.keys()],
        name: key,
      };
    });
    if (missing) {
      const what = `${capitalise(node.resourceType)} '${node.uniqueId}' (${node.originalFilePath}) ${missing.problem}`;
      if (node.resourceType === 'test') {
        options.warnings.push(`${what}; the test is skipped.`);
        nodes.delete(node.uniqueId);
        continue;
      }
      const close = closestNames(missing.name, missing.known);
      const site = missing.site ?? { file: node.originalFilePath, line: node.line, column: 1 };
      throw new CompilationError(site.file, site.line, site.column, what, {
        hint:
          close.length > 0
            ? `Did you mean ${close.map((name) => `'${name}'`).join(', or ')}?`
            : 'Check the name: a ref() names a model, seed or snapshot; a source() a table declared under sources: in a yml file.',
      });
    }
    node.dependsOn.nodes = deps;
  }

  const parentMap = new Map<string, string[]>();
  const childMap = new Map<string, string[]>();
  for (const id of [...nodes.keys(), ...sources.keys()]) childMap.set(id, []);
  for (const source of sources.values()) parentMap.set(source.uniqueId, []);
  for (const node of nodes.values()) {
    parentMap.set(node.uniqueId, [...node.dependsOn.nodes].sort());
    for (const parent of node.dependsOn.nodes) childMap.get(parent)?.push(node.uniqueId);
  }
  for (const list of childMap.values()) list.sort();
  const sortedParents = new Map([...parentMap.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const sortedChildren = new Map([...childMap.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  // A cycle is the dag-order piece's DagCycleError ("Found a cycle: a --> b --> a").
  options.pieces.dagOrder([...nodes.values()].map((node) => ({ id: node.uniqueId, dependsOn: node.dependsOn.nodes })));
  return { parentMap: sortedParents, childMap: sortedChildren };
}

function describeRef(ref: RefCall): string {
  const version = ref.version !== null ? ` with version '${ref.version}'` : '';
  const pkg = ref.package !== null ? ` in package or project '${ref.package}'` : '';
  return `${version}${pkg}`;
}

function capitalise(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}
