// The NodeCompiler: a node's Jinja → the SQL the runtime executes, with refs resolved
// to relations, ephemeral models inlined as CTEs, and microbatch windows applied.
import type { EventWindow } from '../given/types.ts';
import { CompilationError } from '../jinja/compilation-error.ts';
import type { DbtJinja } from '../jinja/dbt-jinja.ts';
import { FilteredRelation, JinjaRelation } from '../jinja/jinja-relation.ts';
import type { CallSite, RenderScope, ScopeNode } from '../jinja/render-scope.ts';
import type { CompiledNode, CompileOptions, NodeCompiler } from './compiler.ts';
import { type ExtraCte, injectCtes } from './ephemeral-ctes.ts';
import { renderTestKwargs } from './test-kwargs.ts';
import type { Manifest, ManifestNode, RefCall, Relation, SourceNode } from './types.ts';

/** Options for {@link createNodeCompiler}. */
export interface NodeCompilerOptions {
  manifest: Manifest;
  jinja: DbtJinja;
}

/** A compiled node with the ephemeral CTEs it got (what manifest.json's extra_ctes lists). */
export interface CompiledNodeWithCtes extends CompiledNode {
  extraCtes: ExtraCte[];
}

/** The compiler for one manifest (see NodeCompiler in compiler.ts). */
export function createNodeCompiler(options: NodeCompilerOptions): NodeCompiler & {
  compile(node: ManifestNode, compileOptions: CompileOptions): CompiledNodeWithCtes;
} {
  const { manifest, jinja } = options;
  const byName = new Map<string, ManifestNode>();
  for (const node of manifest.nodes.values()) {
    if (node.resourceType !== 'test') byName.set(node.name, node);
  }
  const sourcesByKey = new Map(
    [...manifest.sources.values()].map((source) => [`${source.sourceName}.${source.name}`, source]),
  );

  /** Renders one node; ephemeral refs are collected, not injected (see compile). */
  function render(
    node: ManifestNode,
    compileOptions: CompileOptions,
    ephemerals: ManifestNode[],
    logs: string[],
  ): string {
    const window = compileOptions.eventTimeWindow;
    const self = new JinjaRelation(node.relation);
    const scopeNode: ScopeNode = {
      unique_id: node.uniqueId,
      name: node.name,
      resource_type: node.resourceType,
      package_name: node.packageName,
      original_file_path: node.originalFilePath,
      fqn: node.fqn,
      config: node.config,
      batch: window ? { id: batchId(window), event_time_start: window.start, event_time_end: window.end } : undefined,
    };
    const scope: RenderScope = {
      node: scopeNode,
      execute: true,
      isIncremental: compileOptions.isIncremental,
      self,
      ref: (call, site) => {
        const target = resolveRef(node, call, site);
        if (target.config.materialized === 'ephemeral') {
          if (!ephemerals.includes(target)) ephemerals.push(target);
          return new FilteredRelation(target.relation, `__dbt__cte__${target.relation.identifier}`);
        }
        return relationFor(target.relation, target.name, stringOrNull(target.config.event_time), window);
      },
      source: (sourceName, tableName, site) => {
        const source = resolveSource(node, sourceName, tableName, site);
        return relationFor(source.relation, source.name, source.eventTime, window);
      },
      config: () => {},
      configGet: (key) => node.config[key],
      logs,
      macros: new Set(),
    };
    if (node.testMetadata) {
      const origin = { file: node.originalFilePath, lineOffset: node.line - 1 };
      const kwargs = renderTestKwargs(jinja, node.testMetadata.kwargs, scope, origin);
      const macro = node.testMetadata.namespace
        ? `${node.testMetadata.namespace}.test_${node.testMetadata.name}`
        : `test_${node.testMetadata.name}`;
      return String(jinja.call(macro, [], kwargs, scope));
    }
    const key =
      node.resourceType === 'snapshot' ? `${node.originalFilePath}#snapshot:${node.name}` : node.originalFilePath;
    return jinja.render(key, node.rawCode, scope, { file: node.originalFilePath, lineOffset: node.line - 1 });
  }

  function resolveRef(node: ManifestNode, call: RefCall, site: CallSite): ManifestNode {
    const target = call.package === null || call.package === manifest.projectName ? byName.get(call.name) : undefined;
    if (!target) {
      throw new CompilationError(
        site.file,
        site.line,
        site.column,
        `${label(node)} depends on a node named '${call.name}' which was not found`,
      );
    }
    if (!node.dependsOn.nodes.includes(target.uniqueId)) {
      // dbt learns refs by rendering with execute=false; a ref only reached when
      // is_incremental() is true was never seen.
      throw new CompilationError(
        site.file,
        site.line,
        site.column,
        `dbt was unable to infer all dependencies for the model "${node.name}": it refs '${call.name}' only inside a conditional block`,
        { hint: `Add this line at the top of ${node.originalFilePath}: -- depends_on: {{ ref('${call.name}') }}` },
      );
    }
    return target;
  }

  function resolveSource(node: ManifestNode, sourceName: string, tableName: string, site: CallSite): SourceNode {
    const source = sourcesByKey.get(`${sourceName}.${tableName}`);
    if (!source) {
      throw new CompilationError(
        site.file,
        site.line,
        site.column,
        `${label(node)} depends on a source named '${sourceName}.${tableName}' which was not found`,
      );
    }
    return source;
  }

  /** The ephemeral models a node needs, depth-first and each once, as CTEs. */
  function ephemeralCtes(roots: readonly ManifestNode[], compileOptions: CompileOptions, logs: string[]): ExtraCte[] {
    const out: ExtraCte[] = [];
    const visit = (ephemeral: ManifestNode, path: string[]) => {
      if (out.some((cte) => cte.id === ephemeral.uniqueId) || path.includes(ephemeral.uniqueId)) return;
      const inner: ManifestNode[] = [];
      const sql = render(
        ephemeral,
        { isIncremental: false, eventTimeWindow: compileOptions.eventTimeWindow },
        inner,
        logs,
      );
      for (const dependency of inner) visit(dependency, [...path, ephemeral.uniqueId]);
      out.push({ id: ephemeral.uniqueId, sql: ` __dbt__cte__${ephemeral.relation.identifier} as (\n${sql}\n)` });
    };
    for (const root of roots) visit(root, []);
    return out;
  }

  return {
    compile(node, compileOptions) {
      const logs: string[] = [];
      const ephemerals: ManifestNode[] = [];
      const sql = render(node, compileOptions, ephemerals, logs);
      const extraCtes = ephemeralCtes(ephemerals, compileOptions, logs);
      return { sql: injectCtes(sql, extraCtes), logs, extraCtes };
    },
  };
}

/** A ref/source as it prints: the relation, or inside a microbatch window the filtered subquery. */
function relationFor(
  relation: Relation,
  name: string,
  eventTime: string | null,
  window: EventWindow | undefined,
): JinjaRelation {
  if (!window || !eventTime) return new JinjaRelation(relation);
  const plain = new JinjaRelation(relation).render();
  const filtered = `(select * from ${plain} where ${eventTime} >= '${sqlTimestamp(window.start)}' and ${eventTime} < '${sqlTimestamp(window.end)}') _dbt_et_filter_subq_${name}`;
  return new FilteredRelation(relation, filtered);
}

/** `2024-03-01T00:00:00Z` → `2024-03-01 00:00:00+00:00`, as dbt prints a batch bound. */
function sqlTimestamp(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new Error(`not a timestamp: ${iso}`);
  return `${time.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

function batchId(window: EventWindow): string {
  const start = new Date(window.start).toISOString();
  const hours = start.slice(11, 13);
  return `${start.slice(0, 10).replaceAll('-', '')}${hours === '00' ? '' : `T${hours}`}`;
}

function label(node: ManifestNode): string {
  const type = `${node.resourceType.charAt(0).toUpperCase()}${node.resourceType.slice(1)}`;
  return `${type} '${node.uniqueId}' (${node.originalFilePath})`;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
