// Test seam for the runtime (run/, materializations/, seeds/, snapshots/, data-tests/):
// ManifestNode objects built by hand and a trivial NodeCompiler, so the runtime is tested
// on real DuckDB files before (and independently of) the project loader and the Jinja
// compiler. Only `{{ this }}`, `{{ ref('x') }}`, `{{ source('s', 't') }}` and
// `{% if is_incremental() %}…{% endif %}` are understood, by plain string replacement.
import { join } from 'node:path';
import { Database, MartPaths, MineScope } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import type { EventWindow } from '../../src/given/types.ts';
import type { CompileOptions, NodeCompiler } from '../../src/manifest/compiler.ts';
import type { Manifest, ManifestNode, NodeConfig, SourceNode } from '../../src/manifest/types.ts';
import { type IncrementalPieces, loadIncrementalPieces } from '../../src/pieces.ts';
import type { DbtProject } from '../../src/project/types.ts';
import { type ExecuteNodesOptions, executeNodes } from '../../src/run/execute-nodes.ts';
import type { NodeEvent, NodeResult } from '../../src/run/types.ts';

/** dbt's config defaults for every node (§1.4). */
export function defaultConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    enabled: true,
    materialized: 'view',
    alias: null,
    schema: null,
    database: null,
    tags: [],
    meta: {},
    incremental_strategy: null,
    unique_key: null,
    on_schema_change: 'ignore',
    incremental_predicates: null,
    full_refresh: null,
    event_time: null,
    batch_size: null,
    begin: null,
    lookback: 1,
    column_types: {},
    delimiter: ',',
    quote_columns: null,
    strategy: null,
    updated_at: null,
    check_cols: null,
    hard_deletes: null,
    invalidate_hard_deletes: null,
    severity: 'ERROR',
    where: null,
    limit: null,
    fail_calc: 'count(*)',
    warn_if: '!= 0',
    error_if: '!= 0',
    store_failures: null,
    'pre-hook': [],
    'post-hook': [],
    ...overrides,
  };
}

/** A project in `root`, building into `<root>/warehouse.duckdb` (database `warehouse`). */
export function testProject(root: string, name = 'mart'): DbtProject {
  return {
    root,
    name,
    modelPaths: ['models'],
    seedPaths: ['seeds'],
    macroPaths: ['macros'],
    snapshotPaths: ['snapshots'],
    testPaths: ['tests'],
    targetPath: join(root, 'target'),
    vars: {},
    configBlocks: { models: {}, seeds: {}, snapshots: {}, data_tests: {}, sources: {} },
    target: {
      name: 'dev',
      type: 'duckdb',
      path: join(root, 'warehouse.duckdb'),
      database: 'warehouse',
      schema: 'main',
      threads: 1,
    },
  };
}

type Kind = ManifestNode['resourceType'];
const folders: Record<Kind, string> = { model: 'models', seed: 'seeds', snapshot: 'snapshots', test: 'tests' };

/** What a node is made from in tests: its SQL (or CSV path for a seed) and config. */
export interface NodeSpec {
  kind?: Kind;
  name: string;
  /** SQL with the seam's Jinja; ignored for seeds. */
  sql?: string;
  config?: Partial<NodeConfig>;
  /** Seeds: absolute path of the CSV. */
  file?: string;
  /** Schema, default the target's. */
  schema?: string;
  /** Tests: the nodes (by name) it tests, when not visible as refs in its SQL. */
  tests?: string[];
}

/** A model: `model({ name: 'orders', sql: 'select 1 as id', config: { materialized: 'table' } })`. */
export const model = (spec: Omit<NodeSpec, 'kind'>): NodeSpec => ({ ...spec, kind: 'model' });
export const seed = (spec: Omit<NodeSpec, 'kind'>): NodeSpec => ({ ...spec, kind: 'seed' });
export const snapshot = (spec: Omit<NodeSpec, 'kind'>): NodeSpec => ({ ...spec, kind: 'snapshot' });
export const dataTest = (spec: Omit<NodeSpec, 'kind'>): NodeSpec => ({ ...spec, kind: 'test' });

const refPattern = /\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}/g;

/** A manifest of these nodes; dependencies come from their `ref(...)` calls (and `tests`). */
export function buildManifest(project: DbtProject, specs: readonly NodeSpec[], sources: SourceNode[] = []): Manifest {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const idOf = (name: string) => {
    const spec = byName.get(name);
    if (!spec) throw new Error(`test manifest: no node named ${name}`);
    return `${spec.kind ?? 'model'}.${project.name}.${name}`;
  };
  const nodes = new Map<string, ManifestNode>();
  for (const spec of specs) {
    const kind = spec.kind ?? 'model';
    const sql = spec.sql ?? '';
    const refs = [...sql.matchAll(refPattern)].map((m) => m[1] as string);
    const depends = [...new Set([...refs, ...(spec.tests ?? [])])].map(idOf);
    const extension = kind === 'seed' ? 'csv' : 'sql';
    const path = `${spec.name}.${extension}`;
    const config = defaultConfig({
      materialized: kind === 'model' ? 'view' : kind === 'test' ? 'test' : kind,
      ...spec.config,
    });
    const node: ManifestNode = {
      uniqueId: `${kind}.${project.name}.${spec.name}`,
      resourceType: kind,
      name: spec.name,
      packageName: project.name,
      path,
      originalFilePath: `${folders[kind]}/${path}`,
      absolutePath: spec.file ?? join(project.root, folders[kind], path),
      fqn: [project.name, spec.name],
      rawCode: sql,
      language: 'sql',
      config,
      unrenderedConfig: { ...spec.config },
      tags: [],
      description: '',
      columns: {},
      meta: {},
      refs: refs.map((name) => ({ name, package: null, version: null })),
      sources: [],
      dependsOn: { nodes: depends, macros: [] },
      relation: {
        database: project.target.database,
        schema: spec.schema ?? project.target.schema,
        identifier: (spec.config?.alias as string | undefined) ?? spec.name,
      },
      checksum: { name: 'sha256', checksum: '' },
      patchPath: null,
      testMetadata: null,
      columnName: null,
      attachedNode: kind === 'test' ? (depends[0] ?? null) : null,
      line: 1,
    };
    nodes.set(node.uniqueId, node);
  }
  const parentMap = new Map<string, string[]>();
  const childMap = new Map<string, string[]>();
  for (const node of nodes.values()) {
    parentMap.set(node.uniqueId, [...node.dependsOn.nodes].sort());
    childMap.set(node.uniqueId, childMap.get(node.uniqueId) ?? []);
    for (const parent of node.dependsOn.nodes)
      childMap.set(parent, [...(childMap.get(parent) ?? []), node.uniqueId].sort());
  }
  return {
    projectName: project.name,
    nodes,
    sources: new Map(sources.map((source) => [source.uniqueId, source])),
    macros: new Map(),
    docs: new Map(),
    parentMap,
    childMap,
    warnings: [],
  };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const relationText = (node: { relation: { database: string; schema: string; identifier: string } }) =>
  [node.relation.database, node.relation.schema, node.relation.identifier].map(quote).join('.');

/**
 * The seam's compiler: `{{ this }}`, `{{ ref('x') }}` (inside a microbatch model's batch,
 * a ref to a model with `event_time` is filtered to the batch's window, as dbt does),
 * `{{ source('s', 't') }}` and `{% if is_incremental() %}…{% endif %}` (with an optional
 * `{% else %}`). Every compile is recorded in `calls`.
 */
export function fakeCompiler(manifest: Manifest): NodeCompiler & { calls: Array<{ node: string } & CompileOptions> } {
  const calls: Array<{ node: string } & CompileOptions> = [];
  const byName = new Map([...manifest.nodes.values()].map((node) => [node.name, node]));
  return {
    calls,
    compile(node: ManifestNode, options: CompileOptions) {
      calls.push({ node: node.name, ...options });
      let sql = node.rawCode.replace(
        /\{%-?\s*if\s+is_incremental\(\)\s*-?%\}([\s\S]*?)(?:\{%-?\s*else\s*-?%\}([\s\S]*?))?\{%-?\s*endif\s*-?%\}/g,
        (_all, yes: string, no: string | undefined) => (options.isIncremental ? yes : (no ?? '')),
      );
      sql = sql.replace(/\{\{\s*this\s*\}\}/g, relationText(node));
      sql = sql.replace(refPattern, (_all, name: string) => {
        const target = byName.get(name);
        if (!target) throw new Error(`fake compiler: unknown ref ${name}`);
        return windowed(relationText(target), target.config.event_time, options.eventTimeWindow);
      });
      sql = sql.replace(
        /\{\{\s*source\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)\s*\}\}/g,
        (_all, source: string, table: string) => {
          const found = [...manifest.sources.values()].find((s) => s.sourceName === source && s.name === table);
          if (!found) throw new Error(`fake compiler: unknown source ${source}.${table}`);
          return windowed(relationText(found), found.eventTime, options.eventTimeWindow);
        },
      );
      if (/\{\{|\{%/.test(sql)) throw new Error(`fake compiler: unsupported Jinja in ${node.name}`);
      return { sql, logs: [] };
    },
  };
}

function windowed(relation: string, eventTime: string | null, window: EventWindow | undefined): string {
  if (!window || !eventTime) return relation;
  const bound = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
  return `(select * from ${relation} where ${quote(eventTime)} >= ${bound(window.start)} and ${quote(eventTime)} < ${bound(window.end)})`;
}

/** The reference pieces (solutions/05-incremental/). */
export function referencePieces(): Promise<IncrementalPieces> {
  return loadIncrementalPieces(MineScope.none(), new MartPaths());
}

/** A temporary project folder with its warehouse open. */
export interface RuntimeFixture {
  dir: string;
  project: DbtProject;
  db: Database;
  pieces: IncrementalPieces;
  /** Runs these nodes (all selected unless `selected` is given) with the seam's compiler. */
  run(manifest: Manifest, options?: Partial<Omit<ExecuteNodesOptions, 'manifest'>>): Promise<RunOutcome>;
  /** Rows of a query, ordered as written. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export interface RunOutcome {
  results: NodeResult[];
  events: NodeEvent[];
  /** Result by node name. */
  byName: Record<string, NodeResult>;
}

export async function runtimeFixture(prefix: string): Promise<RuntimeFixture> {
  const temp = tempDir(`stage-05-${prefix}`);
  const project = testProject(temp.path);
  const db = await Database.open(project.target.path);
  const pieces = await referencePieces();
  return {
    dir: temp.path,
    project,
    db,
    pieces,
    async run(manifest, options = {}) {
      const events: NodeEvent[] = [];
      const results = await executeNodes({
        db,
        project,
        manifest,
        compiler: fakeCompiler(manifest),
        pieces,
        selected: [...manifest.nodes.keys()],
        command: 'build',
        fullRefresh: false,
        threads: 1,
        failFast: false,
        now: new Date('2024-03-05T12:00:00Z'),
        ...options,
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      });
      return { results, events, byName: Object.fromEntries(results.map((r) => [r.node.name, r])) };
    },
    rows: (sql) => db.all(sql),
    close() {
      db.close();
      temp.remove();
    },
  };
}

/** A table's rows as plain objects, ordered by its first column(s): for exact comparisons. */
export async function tableRows(db: Database, table: string, orderBy = '1'): Promise<Record<string, unknown>[]> {
  return db.all(`select * from ${table} order by ${orderBy}`);
}
