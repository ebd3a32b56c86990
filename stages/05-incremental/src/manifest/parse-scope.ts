import { JinjaRelation } from '../jinja/jinja-relation.ts';
import type { CallSite, RenderScope, ScopeNode } from '../jinja/render-scope.ts';
import { mergeConfig } from './node-config.ts';
import type { NodePosition, RefCall } from './types.ts';

/** What rendering a file at parse time found out. */
export interface ParseRecord {
  refs: RefCall[];
  refSites: NodePosition[];
  sources: Array<[string, string]>;
  sourceSites: NodePosition[];
  /** Every `config(...)` call's values, merged in call order. */
  configCalls: Record<string, unknown>;
  logs: string[];
  macros: Set<string>;
}

/** Options for {@link parseScope}. */
export interface ParseScopeOptions {
  node: ScopeNode;
  /** The config before the file's own config() calls (defaults, dbt_project.yml, yml). */
  baseConfig: Record<string, unknown>;
  /** Where refs point while parsing: dbt renders placeholders, the real relations come later. */
  database: string;
  schema: string;
  self: JinjaRelation;
}

/**
 * The scope of dbt's parse-time render (execute = false): `ref()` and `source()` are
 * recorded and print a placeholder relation, `config()` is recorded, and
 * `is_incremental()` is false.
 */
export function parseScope(options: ParseScopeOptions): { scope: RenderScope; record: ParseRecord } {
  const record: ParseRecord = {
    refs: [],
    refSites: [],
    sources: [],
    sourceSites: [],
    configCalls: {},
    logs: [],
    macros: new Set(),
  };
  const position = (site: CallSite): NodePosition => ({ file: site.file, line: site.line, column: site.column });
  const scope: RenderScope = {
    node: options.node,
    execute: false,
    isIncremental: false,
    self: options.self,
    ref: (call, site) => {
      if (
        !record.refs.some(
          (ref) => ref.name === call.name && ref.package === call.package && ref.version === call.version,
        )
      ) {
        record.refs.push(call);
        record.refSites.push(position(site));
      }
      return new JinjaRelation({ database: options.database, schema: options.schema, identifier: call.name });
    },
    source: (sourceName, tableName, site) => {
      if (!record.sources.some(([s, t]) => s === sourceName && t === tableName)) {
        record.sources.push([sourceName, tableName]);
        record.sourceSites.push(position(site));
      }
      return new JinjaRelation({ database: options.database, schema: sourceName, identifier: tableName });
    },
    config: (values) => {
      record.configCalls = { ...record.configCalls, ...values };
    },
    configGet: (key) => mergeConfig(options.baseConfig, record.configCalls)[key],
    logs: record.logs,
    macros: record.macros,
  };
  return { scope, record };
}
