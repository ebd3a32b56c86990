// Parses a dbt project into its manifest: every model, seed, snapshot, test, source,
// macro and docs block, with dbt's names, ids, fqns, configs and dependencies.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncrementalPieces } from '../given/pieces.ts';
import { CompilationError } from '../jinja/compilation-error.ts';
import { DbtJinja } from '../jinja/dbt-jinja.ts';
import { JinjaRelation } from '../jinja/jinja-relation.ts';
import type { TemplateOrigin } from '../jinja/locate-error.ts';
import { detachedScope } from '../jinja/render-scope.ts';
import type { DbtProject } from '../project/types.ts';
import { createNodeCompiler } from './compile-node.ts';
import type { NodeCompiler } from './compiler.ts';
import { docsBlocks } from './docs-blocks.ts';
import { genericTests, type TestTarget } from './generic-tests.ts';
import { linkNodes } from './link-manifest.ts';
import { macroNodes } from './macro-nodes.ts';
import { defaultConfig, mergeConfig, normaliseConfig, projectLevels } from './node-config.ts';
import { parseScope } from './parse-scope.ts';
import { type ProjectFile, projectFiles } from './project-files.ts';
import { type PropertiesEntry, type PropertiesFileData, readProperties } from './properties-files.ts';
import { nodeRelation } from './relation-names.ts';
import type { ColumnInfo, Manifest, ManifestNode, SourceNode } from './types.ts';

/** Options for {@link buildManifest}. */
export interface BuildManifestOptions {
  /** The stage's pieces (`dagOrder` checks the DAG): the reference ones, or the learner's with --mine. */
  pieces: IncrementalPieces;
  /** For `env_var()`. */
  env: NodeJS.ProcessEnv;
  /** `run_started_at` in templates; default now. */
  runStartedAt?: Date | undefined;
  /** `invocation_id` in templates. */
  invocationId?: string | undefined;
}

/** The parsed project and the compiler that renders its nodes. */
export interface BuiltManifest {
  manifest: Manifest;
  compiler: NodeCompiler;
}

const materializations = new Set(['view', 'table', 'ephemeral', 'incremental', 'seed', 'snapshot', 'test']);

/**
 * Reads every file of a loaded project into its manifest (see manifest/types.ts), as
 * dbt's parser does: files are rendered once with execute=false to learn their refs and
 * config() calls. Any problem in a file is a CompilationError at its line; a cycle is the
 * dag-order piece's DagCycleError.
 *
 * @example
 * const { manifest, compiler } = buildManifest(project, { pieces, env: process.env });
 * compiler.compile(manifest.nodes.get('model.shop.orders')!, { isIncremental: false }).sql;
 */
export function buildManifest(project: DbtProject, options: BuildManifestOptions): BuiltManifest {
  const warnings = [...(project.warnings ?? [])];
  const target = project.target;
  const jinja = new DbtJinja({
    projectName: project.name,
    target: {
      name: target.name,
      schema: target.schema,
      database: target.database,
      type: target.type,
      threads: target.threads,
      path: target.path,
    },
    vars: project.vars,
    env: options.env,
    runStartedAt: options.runStartedAt,
    invocationId: options.invocationId,
  });
  const root = project.root;
  const testDirs = project.testPaths.map((dir) => `${dir}/generic`);
  const macros = macroNodes(jinja, project.name, projectFiles(root, [...project.macroPaths, ...testDirs], ['.sql']));
  const docs = docsBlocks(
    project.name,
    projectFiles(root, project.docsPaths ?? [...project.modelPaths, ...project.seedPaths, ...project.snapshotPaths], [
      '.md',
    ]),
  );
  jinja.setDocs(new Map(docs.map((doc) => [doc.name, doc.blockContents])));
  const ymlDirs = [
    ...new Set([
      ...project.modelPaths,
      ...project.seedPaths,
      ...project.snapshotPaths,
      ...project.macroPaths,
      ...project.testPaths,
    ]),
  ];
  const properties = readProperties(projectFiles(root, ymlDirs, ['.yml', '.yaml']));
  warnings.push(...properties.warnings);
  const builder = new NodeBuilder(project, jinja);

  const nodes: ManifestNode[] = [];
  for (const file of projectFiles(root, project.modelPaths, ['.sql', '.py'])) {
    if (file.originalFilePath.endsWith('.py')) {
      throw new CompilationError(file.originalFilePath, 1, 1, 'Python models are not supported', {
        hint: 'Write the model as a SELECT in a .sql file.',
      });
    }
    const name = stem(file.path);
    const text = readFileSync(file.absolutePath, 'utf8');
    nodes.push(
      builder.node({
        resourceType: 'model',
        file,
        name,
        rawCode: text,
        fqn: [project.name, ...folders(file.path), name],
        patch: properties.patches.models.get(name),
        checksum: sha256(text.trim()),
        line: 1,
        origin: { file: file.originalFilePath, lineOffset: 0 },
      }),
    );
  }
  for (const file of projectFiles(root, project.seedPaths, ['.csv'])) {
    const name = stem(file.path);
    const big = statSync(file.absolutePath).size > 1024 * 1024;
    nodes.push(
      builder.node({
        resourceType: 'seed',
        file,
        name,
        rawCode: '',
        fqn: [project.name, ...folders(file.path), name],
        patch: properties.patches.seeds.get(name),
        checksum: big
          ? { name: 'path', checksum: file.originalFilePath }
          : sha256(readFileSync(file.absolutePath, 'utf8').trim()),
        line: 1,
        origin: { file: file.originalFilePath, lineOffset: 0 },
      }),
    );
  }
  for (const file of projectFiles(root, project.snapshotPaths, ['.sql'])) {
    const text = readFileSync(file.absolutePath, 'utf8');
    const pattern = /\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;
    for (const match of text.matchAll(pattern)) {
      const name = match[1] ?? '';
      const bodyStart = match.index + match[0].indexOf('%}') + 2;
      const line = text.slice(0, bodyStart).split('\n').length;
      nodes.push(
        builder.node({
          resourceType: 'snapshot',
          file,
          name,
          rawCode: match[2] ?? '',
          // dbt: "On snapshots, the fqn includes the filename."
          fqn: [project.name, ...folders(file.path), stem(file.path), name],
          patch: properties.patches.snapshots.get(name),
          checksum: sha256(text.trim()),
          line,
          origin: { file: file.originalFilePath, lineOffset: line - 1 },
          renderKey: `${file.originalFilePath}#snapshot:${name}`,
        }),
      );
    }
  }
  for (const entry of properties.ymlSnapshots) nodes.push(builder.ymlSnapshot(entry));
  for (const file of projectFiles(root, project.testPaths, ['.sql'])) {
    const top = file.path.split('/')[0];
    if (file.path.includes('/') && (top === 'generic' || top === 'fixtures')) continue;
    const name = stem(file.path);
    const text = readFileSync(file.absolutePath, 'utf8');
    nodes.push(
      builder.node({
        resourceType: 'test',
        file,
        name,
        rawCode: text,
        fqn: [project.name, ...folders(file.path), name],
        patch: properties.patches.data_tests.get(name),
        checksum: sha256(text.trim()),
        line: 1,
        origin: { file: file.originalFilePath, lineOffset: 0 },
      }),
    );
  }

  const enabled = new Map<string, ManifestNode>();
  const disabled = new Map<string, Array<ManifestNode | SourceNode>>();
  const keep = (node: ManifestNode | SourceNode) => {
    if (node.config.enabled === false) disabled.set(node.uniqueId, [...(disabled.get(node.uniqueId) ?? []), node]);
    else if (node.resourceType === 'source') return true;
    else if (enabled.has(node.uniqueId)) {
      const other = enabled.get(node.uniqueId);
      throw new CompilationError(
        node.originalFilePath,
        node.line,
        1,
        `dbt found two ${node.resourceType}s with the name "${node.name}"`,
        {
          hint: `The other one is ${other?.originalFilePath}. Rename one of them (names are unique across folders).`,
        },
      );
    } else enabled.set(node.uniqueId, node);
    return false;
  };
  for (const node of nodes) keep(node);

  // Generic tests of models, seeds and snapshots, declared in their yml patches.
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    const resourceType = kind.replace(/s$/, '') as 'model' | 'seed' | 'snapshot';
    for (const patch of properties.patches[kind].values()) {
      const node = [...enabled.values()].find(
        (candidate) => candidate.resourceType === resourceType && candidate.name === patch.name,
      );
      if (!node) {
        if (![...disabled.values()].flat().some((other) => other.name === patch.name)) {
          const at = patch.file.yml.position(patch.at);
          warnings.push(
            `${patch.file.originalFilePath}:${at.line}:${at.column}: no ${resourceType} named '${patch.name}' was found for this entry of '${kind}'; its tests are skipped.`,
          );
        }
        continue;
      }
      for (const test of builder.testsOf(
        { yamlKey: kind, name: patch.name, attachedNode: node.uniqueId },
        patch.entry,
        patch.at,
        patch.file,
      ))
        keep(test);
    }
  }
  for (const entry of properties.ymlSnapshots) {
    const node = enabled.get(`snapshot.${project.name}.${entry.name}`);
    if (node)
      for (const test of builder.testsOf(
        { yamlKey: 'snapshots', name: entry.name, attachedNode: node.uniqueId },
        entry.entry,
        entry.at,
        entry.file,
      ))
        keep(test);
  }

  const sources = new Map<string, SourceNode>();
  for (const entry of properties.sources) {
    const source = builder.source(entry.source, entry.table, entry.at, entry.file);
    if (sources.has(source.uniqueId)) {
      throw entry.file.yml.error(entry.at, `dbt found two sources named '${source.sourceName}.${source.name}'`);
    }
    if (keep(source)) sources.set(source.uniqueId, source);
    if (source.config.enabled === false) continue;
    const testTarget: TestTarget = {
      yamlKey: 'sources',
      name: source.sourceName,
      tableName: source.name,
      attachedNode: null,
    };
    for (const test of builder.testsOf(testTarget, entry.table, entry.at, entry.file)) keep(test);
  }

  for (const node of enabled.values()) {
    node.relation = nodeRelation(jinja, node, target);
    if (!materializations.has(node.config.materialized)) {
      warnings.push(
        `${node.originalFilePath}: materialized '${node.config.materialized}' is not supported (use view, table, ephemeral or incremental); ${node.name} will fail when it runs.`,
      );
    }
  }
  const { parentMap, childMap } = linkNodes({
    projectName: project.name,
    nodes: enabled,
    sources,
    disabled,
    pieces: options.pieces,
    warnings,
  });
  const manifest: Manifest = {
    projectName: project.name,
    nodes: enabled,
    sources,
    macros,
    docs: new Map(docs.map((doc) => [doc.uniqueId, doc])),
    parentMap,
    childMap,
    warnings: [...new Set(warnings)],
    disabled,
    target: {
      name: target.name,
      database: target.database,
      schema: target.schema,
      type: target.type,
      threads: target.threads,
    },
  };
  return { manifest, compiler: createNodeCompiler({ manifest, jinja }) };
}

/** What {@link NodeBuilder.node} is given. */
interface NodeInput {
  resourceType: ManifestNode['resourceType'];
  file: ProjectFile;
  name: string;
  rawCode: string;
  fqn: string[];
  patch: PropertiesEntry | undefined;
  checksum: { name: string; checksum: string };
  line: number;
  origin: TemplateOrigin;
  renderKey?: string;
}

/** Builds nodes with the project's config blocks and Jinja. */
class NodeBuilder {
  private readonly project: DbtProject;
  private readonly jinja: DbtJinja;

  constructor(project: DbtProject, jinja: DbtJinja) {
    this.project = project;
    this.jinja = jinja;
  }

  node(input: NodeInput): ManifestNode {
    const { project } = this;
    const { resourceType, file, name, fqn, patch } = input;
    const block = resourceType === 'test' ? project.configBlocks.data_tests : project.configBlocks[`${resourceType}s`];
    const levels = projectLevels(block, fqn);
    const ymlConfig = patch ? patchConfig(patch) : {};
    const unrendered: Record<string, unknown> = {};
    let config = defaultConfig(resourceType);
    for (const level of [...levels, ymlConfig]) {
      config = mergeConfig(config, level);
      Object.assign(unrendered, normaliseConfig(level));
    }
    const uniqueId = `${resourceType}.${project.name}.${name}`;
    const { scope, record } = parseScope({
      node: {
        unique_id: uniqueId,
        name,
        resource_type: resourceType,
        package_name: project.name,
        original_file_path: file.originalFilePath,
        fqn,
        config,
      },
      baseConfig: config,
      database: project.target.database,
      schema: project.target.schema,
      self: new JinjaRelation({ database: project.target.database, schema: project.target.schema, identifier: name }),
    });
    if (input.rawCode.trim() !== '')
      this.jinja.render(input.renderKey ?? file.originalFilePath, input.rawCode, scope, input.origin);
    config = mergeConfig(config, record.configCalls);
    Object.assign(unrendered, normaliseConfig(record.configCalls));
    if (resourceType === 'test' && !/^(WARN|ERROR)$/.test(String(config.severity))) {
      throw new CompilationError(
        file.originalFilePath,
        input.line,
        1,
        `Severity must be either 'warn' or 'error'. Got '${String(config.severity)}'`,
      );
    }
    return {
      uniqueId,
      resourceType,
      name,
      packageName: project.name,
      path: file.path,
      originalFilePath: file.originalFilePath,
      absolutePath: file.absolutePath,
      fqn,
      rawCode: input.rawCode,
      language: 'sql',
      config,
      unrenderedConfig: unrendered,
      tags: [...config.tags],
      description: patch ? this.description(patch.entry.description, patch.file, patch.at) : '',
      columns: patch ? this.columns(patch.entry.columns, patch.file, patch.at) : {},
      meta: { ...config.meta },
      refs: record.refs,
      sources: record.sources,
      dependsOn: { nodes: [], macros: [...record.macros] },
      relation: { database: project.target.database, schema: project.target.schema, identifier: name },
      checksum: input.checksum,
      patchPath: patch ? patch.file.originalFilePath : null,
      testMetadata: null,
      columnName: null,
      attachedNode: null,
      line: input.line,
      fileKeyName: null,
      callSites: { refs: record.refSites, sources: record.sourceSites },
    };
  }

  /** A dbt 1.9 yml snapshot: `- name: x, relation: source('s', 't'), config: {…}`. */
  ymlSnapshot(entry: PropertiesEntry): ManifestNode {
    const relation = String(entry.entry.relation ?? '');
    const at = entry.file.yml.position([...entry.at, 'relation']);
    const ref = /^\s*ref\(\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?\s*\)\s*$/.exec(relation);
    const source = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(relation);
    if (!ref && !source) {
      throw entry.file.yml.error(
        [...entry.at, 'relation'],
        `relation: must be ref('model') or source('source', 'table'), got "${relation}"`,
      );
    }
    const ymlPath = entry.file.path;
    const fqn = [this.project.name, ...folders(ymlPath), entry.name];
    const file: ProjectFile = { ...entry.file, path: `${ymlPath}/${entry.name}.sql` };
    const node = this.node({
      resourceType: 'snapshot',
      file,
      name: entry.name,
      rawCode: '',
      fqn,
      patch: entry,
      checksum: sha256(readFileSync(entry.file.absolutePath, 'utf8').trim()),
      line: at.line,
      origin: { file: entry.file.originalFilePath, lineOffset: at.line - 1 },
    });
    const site = { file: entry.file.originalFilePath, line: at.line, column: at.column };
    if (ref) {
      const name = ref[2] ?? ref[1] ?? '';
      node.refs = [{ name, package: ref[2] ? (ref[1] ?? null) : null, version: null }];
      node.callSites = { refs: [site], sources: [] };
    } else {
      node.sources = [[source?.[1] ?? '', source?.[2] ?? '']];
      node.callSites = { refs: [], sources: [site] };
    }
    node.rawCode = `select * from {{ ${relation} }}`;
    return node;
  }

  /** The generic tests of a yml entry and of its columns. */
  testsOf(
    target: TestTarget,
    entry: Record<string, unknown>,
    at: (string | number)[],
    file: PropertiesFileData,
  ): ManifestNode[] {
    const key = 'data_tests' in entry ? 'data_tests' : 'tests';
    const common = { project: this.project, jinja: this.jinja, target, file };
    const tests = genericTests({ ...common, entries: entry[key], at: [...at, key] });
    const columns = Array.isArray(entry.columns) ? entry.columns : [];
    columns.forEach((column: unknown, index: number) => {
      if (!column || typeof column !== 'object' || typeof (column as { name?: unknown }).name !== 'string') return;
      const record = column as Record<string, unknown>;
      if ('tests' in record && 'data_tests' in record) {
        throw file.yml.error(
          [...at, 'columns', index],
          `column ${String(record.name)}: both tests: and data_tests: are given`,
        );
      }
      const columnKey = 'data_tests' in record ? 'data_tests' : 'tests';
      const quote = typeof record.quote === 'boolean' ? record.quote : null;
      const tags = Array.isArray(record.tags)
        ? record.tags.map(String)
        : typeof record.tags === 'string'
          ? [record.tags]
          : [];
      tests.push(
        ...genericTests({
          ...common,
          entries: record[columnKey],
          at: [...at, 'columns', index, columnKey],
          column: { name: String(record.name), quote, tags },
        }),
      );
    });
    return tests;
  }

  source(
    source: Record<string, unknown>,
    table: Record<string, unknown>,
    at: (string | number)[],
    file: PropertiesFileData,
  ): SourceNode {
    const { project } = this;
    const sourceName = String(source.name);
    const name = String(table.name);
    const fqn = [project.name, ...folders(file.path), sourceName, name];
    const unrendered: Record<string, unknown> = {};
    let config: Record<string, unknown> = { enabled: true };
    for (const level of [
      ...projectLevels(project.configBlocks.sources, fqn),
      asRecord(source.config),
      asRecord(table.config),
    ]) {
      config = mergeConfig(config, level);
      Object.assign(unrendered, normaliseConfig(level));
    }
    const eventTime = config.event_time;
    const tags = [...new Set([...stringList(source.tags), ...stringList(table.tags), ...stringList(config.tags)])];
    return {
      uniqueId: `source.${project.name}.${sourceName}.${name}`,
      resourceType: 'source',
      name,
      sourceName,
      packageName: project.name,
      path: file.originalFilePath,
      originalFilePath: file.originalFilePath,
      fqn,
      relation: {
        database: stringOr(source.database, project.target.database),
        schema: stringOr(source.schema, sourceName),
        identifier: stringOr(table.identifier, name),
      },
      description: this.description(table.description, file, at),
      sourceDescription: this.description(source.description, file, at.slice(0, 2)),
      loader: stringOr(source.loader, ''),
      columns: this.columns(table.columns, file, at),
      meta: { ...asRecord(source.meta), ...asRecord(table.meta), ...asRecord(config.meta) },
      tags,
      config: { ...config, enabled: config.enabled !== false },
      eventTime: typeof eventTime === 'string' && eventTime !== '' ? eventTime : null,
      unrenderedConfig: unrendered,
      loadedAtField:
        typeof (table.loaded_at_field ?? source.loaded_at_field) === 'string'
          ? String(table.loaded_at_field ?? source.loaded_at_field)
          : null,
      freshness: table.freshness ?? source.freshness ?? null,
      sourceMeta: asRecord(source.meta),
      line: file.yml.position(at).line,
    };
  }

  /** A yml description with its Jinja (doc()) rendered. */
  private description(value: unknown, file: PropertiesFileData, at: (string | number)[]): string {
    if (typeof value !== 'string') return '';
    if (!value.includes('{{') && !value.includes('{%')) return value;
    const line = file.yml.position([...at, 'description']).line;
    return this.jinja.render(`${file.originalFilePath}#description:${value}`, value, detachedScope('a description'), {
      file: file.originalFilePath,
      lineOffset: line - 1,
    });
  }

  private columns(value: unknown, file: PropertiesFileData, at: (string | number)[]): Record<string, ColumnInfo> {
    const out: Record<string, ColumnInfo> = {};
    if (!Array.isArray(value)) return out;
    value.forEach((column: unknown, index: number) => {
      if (!column || typeof column !== 'object') return;
      const record = column as Record<string, unknown>;
      if (typeof record.name !== 'string') throw file.yml.error([...at, 'columns', index], 'a column has no name:');
      out[record.name] = {
        name: record.name,
        description: this.description(record.description, file, [...at, 'columns', index]),
        dataType: typeof record.data_type === 'string' ? record.data_type : null,
        meta: asRecord(record.meta),
        tags: stringList(record.tags),
        quote: typeof record.quote === 'boolean' ? record.quote : null,
      };
    });
    return out;
  }
}

/** A patch's config: `config:`, plus the keys dbt moves into it from the top (meta, docs, tags…). */
function patchConfig(patch: PropertiesEntry): Record<string, unknown> {
  const entry = patch.entry;
  const config: Record<string, unknown> = {};
  for (const key of ['meta', 'docs', 'group', 'contract', 'access', 'tags']) {
    if (key in entry) {
      if (entry.config && typeof entry.config === 'object' && key in entry.config) {
        throw patch.file.yml.error(
          [...patch.at, key],
          `${key} is given both at the top of '${patch.name}' and under config:`,
          'Keep it under config: only.',
        );
      }
      config[key] = entry[key];
    }
  }
  return { ...config, ...asRecord(entry.config) };
}

function sha256(text: string): { name: string; checksum: string } {
  return { name: 'sha256', checksum: createHash('sha256').update(text, 'utf8').digest('hex') };
}

function stem(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/\.[^.]+$/, '');
}

/** The folders of a resource-relative path: `staging/orders.sql` → ['staging']. */
function folders(path: string): string[] {
  return path.split('/').slice(0, -1);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
