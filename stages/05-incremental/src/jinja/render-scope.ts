import type { RefCall } from '../manifest/types.ts';
import type { JinjaRelation } from './jinja-relation.ts';

/** Where a template called a function: the template's file, 1-based line and column. */
export interface CallSite {
  file: string;
  line: number;
  column: number;
}

/** What `model` is inside a template: the node being rendered, as dbt's context gives it. */
export interface ScopeNode {
  unique_id: string;
  name: string;
  resource_type: string;
  package_name: string;
  original_file_path: string;
  fqn: string[];
  config: Record<string, unknown>;
  /** Microbatch models, inside a batch: `model.batch.event_time_start` etc. */
  batch?: { id: string; event_time_start: string; event_time_end: string } | undefined;
}

/**
 * One render: the node it is for and how dbt's functions answer in it. The manifest
 * builder makes a parse-time scope (execute=false: refs are recorded, `is_incremental()`
 * is false); the node compiler makes a compile-time one (refs resolve to relations).
 */
export interface RenderScope {
  node: ScopeNode | null;
  /** dbt's `execute`: false while parsing, true when compiling. */
  execute: boolean;
  isIncremental: boolean;
  /** What `{{ this }}` renders. */
  self: JinjaRelation | undefined;
  /** `ref('m')` / `ref('pkg', 'm')`: the relation to print. */
  ref(call: RefCall, site: CallSite): unknown;
  /** `source('s', 't')`. */
  source(sourceName: string, tableName: string, site: CallSite): unknown;
  /** `config(key=value, …)` in the file. */
  config(values: Record<string, unknown>): void;
  /** `config.get('key')`: the node's resolved config, undefined when not set. */
  configGet(key: string): unknown;
  /** What `{{ log() }}` printed. */
  logs: string[];
  /** `macro.<package>.<name>` of every macro the node calls directly. */
  macros: Set<string>;
}

/** A scope for rendering outside any node (dbt_project.yml values, profiles.yml). */
export function detachedScope(what: string): RenderScope {
  const refuse = (fn: string) => () => {
    throw new Error(`${fn}() cannot be used in ${what}`);
  };
  return {
    node: null,
    execute: false,
    isIncremental: false,
    self: undefined,
    ref: refuse('ref'),
    source: refuse('source'),
    config: () => {},
    configGet: () => undefined,
    logs: [],
    macros: new Set(),
  };
}
