// Generic tests declared in yml (`data_tests:` / `tests:` on models, seeds, snapshots,
// sources and their columns) → test nodes named, hashed and configured as dbt does
// (parser/generic_test_builders.py, parser/schema_generic_tests.py).
import { CompilationError } from '../jinja/compilation-error.ts';
import type { DbtJinja } from '../jinja/dbt-jinja.ts';
import { JinjaRelation } from '../jinja/jinja-relation.ts';
import type { DbtProject } from '../project/types.ts';
import { didYouMean } from './closest-names.ts';
import { genericTestHash, genericTestName } from './generic-test-name.ts';
import { defaultConfig, mergeConfig, normaliseConfig, projectLevels, testConfigKeys } from './node-config.ts';
import { parseScope } from './parse-scope.ts';
import type { PropertiesFileData } from './properties-files.ts';
import { pyStr } from './python-repr.ts';
import { renderTestKwargs } from './test-kwargs.ts';
import type { ManifestNode, NodeConfig, TestMetadata } from './types.ts';

/** What the tests are attached to. */
export interface TestTarget {
  /** The yml key the entry is under: `models`, `seeds`, `snapshots`, `sources`. */
  yamlKey: 'models' | 'seeds' | 'snapshots' | 'sources';
  /** The model's (seed's, snapshot's) name, or the source's name. */
  name: string;
  /** Sources: the table's name. */
  tableName?: string;
  /** The node tested (null for source tests, as in dbt). */
  attachedNode: string | null;
}

/** Options for {@link genericTests}. */
export interface GenericTestsOptions {
  project: DbtProject;
  jinja: DbtJinja;
  target: TestTarget;
  /** The yml list of tests, and where it is in the file. */
  entries: unknown;
  at: (string | number)[];
  file: PropertiesFileData;
  /** Column tests: the column. */
  column?: { name: string; quote: boolean | null; tags: string[] } | undefined;
}

/** The yml keys of a test entry that are neither arguments nor configs. */
const entryKeys = new Set(['name', 'test_name', 'config', 'description', 'arguments', 'column_name']);

/**
 * The test nodes of one `data_tests:` list. Their relation is filled in later with the
 * other nodes'; their refs are recorded by rendering them once, as dbt's parser does.
 */
export function genericTests(options: GenericTestsOptions): ManifestNode[] {
  const { entries, file } = options;
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw file.yml.error(options.at, 'data_tests: must be a list of tests');
  return entries.map((entry, index) => genericTest(options, entry, [...options.at, index]));
}

function genericTest(options: GenericTestsOptions, entry: unknown, at: (string | number)[]): ManifestNode {
  const { project, jinja, target, file, column } = options;
  const parsed = parseEntry(entry, file, at);
  const position = file.yml.position(at);
  const [namespace, testName] = parsed.fullTestName.includes('.')
    ? (parsed.fullTestName.split('.', 2) as [string, string])
    : [null, parsed.fullTestName];
  if (namespace) {
    throw new CompilationError(
      file.originalFilePath,
      position.line,
      position.column,
      `the test '${parsed.fullTestName}' comes from the package ${namespace}: packages are not supported`,
      {
        hint: `Copy its {% test ${testName}(model, …) %} definition into tests/generic/ (or macros/) and write - ${testName} here.`,
      },
    );
  }
  const macroName = `test_${testName}`;
  if (!jinja.hasMacro(macroName)) {
    const known = [...jinja.macros.keys()].filter((name) => name.startsWith('test_')).map((name) => name.slice(5));
    throw new CompilationError(
      file.originalFilePath,
      position.line,
      position.column,
      `unknown generic test '${testName}'`,
      {
        hint: `${didYouMean(testName, known) ?? `Known tests: ${known.join(', ')}.`} A custom one is a {% test ${testName}(model, column_name) %} block in tests/generic/ or macros/.`,
      },
    );
  }
  if ('model' in parsed.args) {
    throw file.yml.error(at, "a test argument is named 'model', which is reserved for the tested model");
  }
  const isSource = target.yamlKey === 'sources';
  const args: Record<string, unknown> = { ...parsed.args };
  if (column) args.column_name = column.quote ? `"${column.name}"` : column.name;
  const targetName = isSource ? `${target.name}_${target.tableName}` : target.name;
  const modelArg = isSource
    ? `{{ get_where_subquery(source('${target.name}', '${target.tableName}')) }}`
    : `{{ get_where_subquery(ref('${target.name}')) }}`;
  const kwargs = { ...args, model: modelArg };
  const names = genericTestName({ testName, namespace: null, isSource, targetName, args, userName: parsed.userName });
  const testMetadata: TestMetadata = { name: testName, kwargs, namespace: null };
  const uniqueId = `test.${project.name}.${names.fullName}.${genericTestHash(names.fullName, testMetadata)}`;
  // fqn: the yml's folders below its first path component, then the full name.
  const folders = file.originalFilePath.split('/').slice(1, -1);
  const fqn = [project.name, ...folders, names.fullName];

  let base: NodeConfig = defaultConfig('test');
  for (const level of projectLevels(project.configBlocks.data_tests, fqn)) base = mergeConfig(base, level);
  const withYml = mergeConfig(base, parsed.config);
  // dbt's parse: render the test once to learn its refs and the config() of its definition.
  const { scope, record } = parseScope({
    node: {
      unique_id: uniqueId,
      name: names.fullName,
      resource_type: 'test',
      package_name: project.name,
      original_file_path: file.originalFilePath,
      fqn,
      config: withYml,
    },
    baseConfig: withYml,
    database: project.target.database,
    schema: project.target.schema,
    self: new JinjaRelation({
      database: project.target.database,
      schema: project.target.schema,
      identifier: names.shortName,
    }),
  });
  const origin = { file: file.originalFilePath, lineOffset: position.line - 1 };
  const rendered = renderTestKwargs(jinja, kwargs, scope, origin);
  jinja.call(macroName, [], rendered, scope);
  const config = mergeConfig(mergeConfig(base, record.configCalls), parsed.config);
  if (typeof config.severity !== 'string' || !/^(WARN|ERROR)$/.test(config.severity)) {
    throw file.yml.error(at, `Severity must be either 'warn' or 'error'. Got '${String(config.severity)}'`);
  }
  const tags = [...new Set([...(config.tags as string[]), ...(column?.tags ?? [])])].sort();
  config.tags = tags;
  const macros = [jinja.macros.get(macroName)?.uniqueId ?? `macro.dbt.${macroName}`, 'macro.dbt.get_where_subquery'];
  for (const macro of record.macros) if (!macros.includes(macro)) macros.push(macro);
  return {
    uniqueId,
    resourceType: 'test',
    name: names.fullName,
    packageName: project.name,
    path: `${names.shortName}.sql`,
    originalFilePath: file.originalFilePath,
    absolutePath: file.absolutePath,
    fqn,
    rawCode: `{{ ${macroName}(**_dbt_generic_test_kwargs) }}${configCall(parsed.config)}`,
    language: 'sql',
    config: {
      ...config,
      alias: (config.alias as string | null) ?? (names.shortName !== names.fullName ? names.shortName : null),
    },
    unrenderedConfig: { ...normaliseConfig(record.configCalls), ...parsed.config },
    tags,
    description: parsed.description,
    columns: {},
    meta: (config.meta as Record<string, unknown>) ?? {},
    refs: record.refs,
    sources: record.sources,
    dependsOn: { nodes: [], macros },
    relation: { database: project.target.database, schema: project.target.schema, identifier: names.shortName },
    checksum: { name: 'none', checksum: '' },
    patchPath: null,
    testMetadata,
    columnName: column ? String(args.column_name) : null,
    attachedNode: target.attachedNode,
    line: position.line,
    fileKeyName: `${target.yamlKey}.${target.name}`,
    // The refs come from the yml entry: that is where a wrong one is written.
    callSites: {
      refs: record.refs.map(() => ({ file: file.originalFilePath, line: position.line, column: position.column })),
      sources: record.sources.map(() => ({
        file: file.originalFilePath,
        line: position.line,
        column: position.column,
      })),
    },
  };
}

interface ParsedEntry {
  fullTestName: string;
  userName: string | undefined;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  description: string;
}

/** `- not_null` | `- accepted_values: {values: […], config: {…}}` | `- name: x, test_name: unique, …`. */
function parseEntry(entry: unknown, file: PropertiesFileData, at: (string | number)[]): ParsedEntry {
  if (typeof entry === 'string')
    return { fullTestName: entry, userName: undefined, args: {}, config: {}, description: '' };
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw file.yml.error(at, 'a test must be a name (- not_null) or a dict (- accepted_values: {values: […]})');
  }
  const record = entry as Record<string, unknown>;
  let fullTestName: string;
  let body: Record<string, unknown>;
  let userName: string | undefined;
  if (typeof record.test_name === 'string') {
    fullTestName = record.test_name;
    body = record;
    userName = typeof record.name === 'string' ? record.name : undefined;
  } else {
    const keys = Object.keys(record);
    if (keys.length !== 1) {
      throw file.yml.error(
        at,
        `a test dict must have exactly one key (the test's name), got ${keys.map((key) => `'${key}'`).join(', ')}`,
        'Write - test_name: {arg: value}, or give test_name: with name:.',
      );
    }
    fullTestName = keys[0] ?? '';
    const value = record[fullTestName];
    body = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    userName = typeof body.name === 'string' ? body.name : undefined;
  }
  const nested = body.config && typeof body.config === 'object' ? (body.config as Record<string, unknown>) : {};
  const config: Record<string, unknown> = {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'arguments' && value && typeof value === 'object') Object.assign(args, value);
    else if (entryKeys.has(key)) continue;
    else if (testConfigKeys.has(key)) {
      if (key in nested)
        throw file.yml.error(at, `the test config '${key}' is given both at the top and under config:`);
      config[key] = value;
    } else args[key] = value;
  }
  Object.assign(config, nested);
  return {
    fullTestName,
    userName,
    args,
    config: normaliseConfig(config),
    description: typeof body.description === 'string' ? body.description : '',
  };
}

/** dbt's `construct_config`: the yml configs appended to the raw code as a config() call. */
function configCall(config: Record<string, unknown>): string {
  const entries = Object.entries(config);
  if (entries.length === 0) return '';
  const args = entries.map(
    ([key, value]) => `${key}=${typeof value === 'string' ? `"${value.replaceAll('"', '\\"')}"` : pyStr(value)}`,
  );
  return `{{ config(${args.join(',')}) }}`;
}
