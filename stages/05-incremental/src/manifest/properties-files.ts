// The properties (yml) files of a project: descriptions, columns, configs and tests of
// models, seeds and snapshots; sources; dbt 1.9's yml snapshots.

import { readFileSync } from 'node:fs';
import { parseYamlText, type YamlFile } from '../project/yaml-file.ts';
import type { ProjectFile } from './project-files.ts';

/** One `- name: x` entry of a properties file. */
export interface PropertiesEntry {
  /** models, seeds, snapshots (patches of nodes found elsewhere), or data_tests (singular tests). */
  kind: 'models' | 'seeds' | 'snapshots' | 'data_tests';
  name: string;
  entry: Record<string, unknown>;
  /** The entry's path in the yml: `['models', 2]`. */
  at: (string | number)[];
  file: PropertiesFileData;
}

/** A `sources:` entry and one of its tables. */
export interface SourceTableEntry {
  source: Record<string, unknown>;
  table: Record<string, unknown>;
  /** The table's path in the yml: `['sources', 0, 'tables', 1]`. */
  at: (string | number)[];
  file: PropertiesFileData;
}

/** A properties file, parsed. */
export interface PropertiesFileData extends ProjectFile {
  yml: YamlFile;
}

/** Everything the properties files declare. */
export interface Properties {
  /** Patches by kind, then by name. */
  patches: Record<PropertiesEntry['kind'], Map<string, PropertiesEntry>>;
  sources: SourceTableEntry[];
  /** `snapshots:` entries with `relation:` (dbt 1.9 yml snapshots). */
  ymlSnapshots: PropertiesEntry[];
  warnings: string[];
}

const ignoredTopKeys: Record<string, string> = {
  exposures: 'exposures are not supported',
  metrics: 'metrics are not supported',
  semantic_models: 'semantic models are not supported',
  saved_queries: 'saved queries are not supported',
  unit_tests: 'unit tests are not supported',
  groups: 'groups are not supported',
  analyses: 'analyses are not supported',
};

/**
 * Reads every properties file. A name declared twice for the same kind is an error at
 * the second one, as in dbt.
 */
export function readProperties(files: readonly ProjectFile[]): Properties {
  const properties: Properties = {
    patches: { models: new Map(), seeds: new Map(), snapshots: new Map(), data_tests: new Map() },
    sources: [],
    ymlSnapshots: [],
    warnings: [],
  };
  for (const file of files) {
    const yml = parseYamlText(readFileSync(file.absolutePath, 'utf8'), file.originalFilePath);
    const data = yml.value;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) continue;
    const parsed: PropertiesFileData = { ...file, yml };
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (key === 'version' || key === 'macros') continue;
      if (key === 'sources') {
        readSources(parsed, value, properties);
      } else if (
        key === 'models' ||
        key === 'seeds' ||
        key === 'snapshots' ||
        key === 'data_tests' ||
        key === 'tests'
      ) {
        readEntries(parsed, key === 'tests' ? 'data_tests' : key, key, value, properties);
      } else {
        const at = yml.position([key]);
        const why = ignoredTopKeys[key] ?? 'this key is not known';
        properties.warnings.push(`${file.originalFilePath}:${at.line}:${at.column}: '${key}' is ignored (${why}).`);
      }
    }
  }
  return properties;
}

function readEntries(
  file: PropertiesFileData,
  kind: PropertiesEntry['kind'],
  key: string,
  value: unknown,
  properties: Properties,
): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) throw file.yml.error([key], `${key}: must be a list of entries (- name: …)`);
  value.forEach((entry, index) => {
    const at = [key, index];
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || typeof entry.name !== 'string') {
      throw file.yml.error(at, `${key}[${index}] has no name:`, 'Each entry starts with - name: <the resource>.');
    }
    const record = entry as Record<string, unknown>;
    if ('tests' in record && 'data_tests' in record) {
      throw file.yml.error(at, `${record.name}: both tests: and data_tests: are given`, 'Use data_tests: only.');
    }
    const item: PropertiesEntry = { kind, name: record.name as string, entry: record, at, file };
    if (kind === 'snapshots' && 'relation' in record) {
      properties.ymlSnapshots.push(item);
      return;
    }
    const existing = properties.patches[kind].get(item.name);
    if (existing) {
      throw file.yml.error(
        at,
        `dbt found two properties entries for the ${kind.replace(/s$/, '')} '${item.name}'`,
        `The other one is in ${existing.file.originalFilePath}. Keep only one.`,
      );
    }
    properties.patches[kind].set(item.name, item);
  });
}

function readSources(file: PropertiesFileData, value: unknown, properties: Properties): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) throw file.yml.error(['sources'], 'sources: must be a list of sources (- name: …)');
  value.forEach((source, index) => {
    if (!source || typeof source !== 'object' || typeof source.name !== 'string') {
      throw file.yml.error(['sources', index], `sources[${index}] has no name:`);
    }
    const tables = (source as Record<string, unknown>).tables ?? [];
    if (!Array.isArray(tables)) throw file.yml.error(['sources', index, 'tables'], 'tables: must be a list');
    tables.forEach((table, tableIndex) => {
      const at = ['sources', index, 'tables', tableIndex];
      if (!table || typeof table !== 'object' || typeof table.name !== 'string') {
        throw file.yml.error(at, `source ${source.name}: tables[${tableIndex}] has no name:`);
      }
      properties.sources.push({
        source: source as Record<string, unknown>,
        table: table as Record<string, unknown>,
        at,
        file,
      });
    });
  });
}
