// The Jinja environment of one dbt project: nunjucks with the compatibility patches,
// dbt's tags, dbt's functions (ref, source, config, var, env_var, this, is_incremental,
// target, log, return…) and every project macro as a global, as dbt makes them.
import nunjucks from 'nunjucks';
import { builtinMacrosFile, builtinMacrosSource } from './builtin-macros.ts';
import type { CompilationError } from './compilation-error.ts';
import {
  DocsExtension,
  DoExtension,
  LoopControlExtension,
  MaterializationExtension,
  SnapshotExtension,
  TestExtension,
} from './extensions.ts';
import { JinjaCallError } from './jinja-call-error.ts';
import { bindArguments, callArguments, type TemplateFunction } from './kwargs.ts';
import { locateError, type TemplateOrigin } from './locate-error.ts';
import { MacroReturn } from './macro-return.ts';
import { callSite, installPatches } from './patches.ts';
import { type CallSite, detachedScope, type RenderScope } from './render-scope.ts';
import { runStartedAtValue } from './run-started-at.ts';
import { unsupportedGlobals } from './unsupported.ts';

/** `target` in templates. */
export interface JinjaTarget {
  name: string;
  schema: string;
  database: string;
  type: string;
  threads: number;
  path?: string;
  profile_name?: string;
}

/** Options for {@link DbtJinja}. */
export interface DbtJinjaOptions {
  /** The root project's name (`project_name`, and the package of its macros). */
  projectName: string;
  target: JinjaTarget;
  /** dbt_project.yml `vars:` merged with `--vars`. */
  vars: Record<string, unknown>;
  /** For `env_var()`. */
  env: NodeJS.ProcessEnv;
  /** When the run started (`run_started_at`); default now. */
  runStartedAt?: Date;
  /** `invocation_id`. */
  invocationId?: string;
}

/** A macro as the manifest lists it. */
export interface MacroDefinition {
  uniqueId: string;
  name: string;
  packageName: string;
  /** Relative to the project folder (`dbt/…` for the built-in ones). */
  file: string;
  /** The macro's text, `{% macro … %}` to `{% endmacro %}`. */
  sql: string;
  line: number;
}

/**
 * One project's Jinja. Rendering is synchronous; a render runs inside a
 * {@link RenderScope} that says which node it is for.
 *
 * @example
 * const jinja = new DbtJinja({ projectName: 'shop', target, vars: {}, env: process.env });
 * jinja.loadMacroFile('macros/cents.sql', text, 'shop');
 * const sql = jinja.render('models/orders.sql', text, scope);
 */
export class DbtJinja {
  /** Every macro by name (a project macro replaces a built-in one of the same name). */
  readonly macros = new Map<string, MacroDefinition>();
  private readonly env: nunjucks.Environment;
  private readonly origins = new Map<string, TemplateOrigin>();
  private readonly templates = new Map<string, { source: string; template: nunjucks.Template }>();
  private readonly scopes: RenderScope[] = [];
  private readonly vars: Record<string, unknown>;
  private docs = new Map<string, string>();
  private captured: unknown;
  private macroDepth = 0;
  /** Names of `{% snapshot %}` blocks seen by the last render. */
  private snapshotsSeen: string[] = [];

  private readonly options: DbtJinjaOptions;

  constructor(options: DbtJinjaOptions) {
    this.options = options;
    installPatches();
    this.vars = options.vars;
    this.env = new nunjucks.Environment(null, {
      autoescape: false, // SQL, not HTML
      throwOnUndefined: false, // Jinja's default Undefined prints as ''
      trimBlocks: false, // dbt uses Jinja's defaults
      lstripBlocks: false,
      dev: true, // keep the error nunjucks wraps (its `cause`), for locateError
    });
    this.env.addExtension('do', new DoExtension());
    this.env.addExtension('loopcontrols', new LoopControlExtension());
    this.env.addExtension('test', new TestExtension());
    this.env.addExtension('snapshot', new SnapshotExtension((name) => this.snapshotsSeen.push(name)));
    this.env.addExtension('docs', new DocsExtension());
    this.env.addExtension('materialization', new MaterializationExtension());
    for (const filter of ['as_text', 'as_bool', 'as_native', 'as_number']) {
      this.env.addFilter(filter, (value: unknown) => value);
    }
    // addTest exists at runtime but is missing from @types/nunjucks 3.2.6.
    (this.env as unknown as { addTest(name: string, test: (value: unknown) => boolean): void }).addTest(
      'none',
      (value) => value === null,
    );
    for (const [name, value] of Object.entries({ ...unsupportedGlobals(), ...this.dbtGlobals() })) {
      this.env.addGlobal(name, value);
    }
    this.setScopeGlobals(undefined);
    this.loadMacroFile(builtinMacrosFile, builtinMacrosSource, 'dbt');
  }

  /** The `{% docs %}` blocks doc() looks up, by name. */
  setDocs(docs: ReadonlyMap<string, string>): void {
    this.docs = new Map(docs);
  }

  /**
   * Loads a macro file: its `{% macro %}` and `{% test %}` blocks become globals every
   * template can call. A syntax error is a CompilationError at its line.
   */
  loadMacroFile(file: string, source: string, packageName: string): MacroDefinition[] {
    const template = this.compile(file, source, { file, lineOffset: 0 });
    let exported: Record<string, unknown> = {};
    this.guard(() => {
      this.scopes.push(detachedScope(`macro file ${file}`));
      try {
        // getExported is synchronous with a synchronous loader; missing from @types/nunjucks.
        (
          template as unknown as {
            getExported(ctx: object, cb: (error: Error | null, values: Record<string, unknown>) => void): void;
          }
        ).getExported({}, (error, values) => {
          if (error) throw error;
          exported = values;
        });
      } finally {
        this.scopes.pop();
      }
    });
    const definitions = macroTexts(source);
    const out: MacroDefinition[] = [];
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function') continue;
      const text = definitions.get(name);
      const definition: MacroDefinition = {
        uniqueId: `macro.${packageName}.${name}`,
        name,
        packageName,
        file,
        sql: text?.sql ?? '',
        line: text?.line ?? 1,
      };
      this.macros.set(name, definition);
      this.env.addGlobal(name, this.recordingMacro(definition.uniqueId, value as TemplateFunction));
      out.push(definition);
    }
    return out;
  }

  /**
   * Renders a template (a model, a snapshot block, a singular test) in `scope`. `key`
   * names the compiled template in the cache; `origin` maps its lines to the file.
   */
  render(
    key: string,
    source: string,
    scope: RenderScope,
    origin: TemplateOrigin = { file: key, lineOffset: 0 },
  ): string {
    const template = this.compile(key, source, origin);
    return this.inScope(scope, () => template.render({}));
  }

  /** Renders a template and also says which `{% snapshot %}` blocks it contains. */
  renderWithSnapshots(key: string, source: string, scope: RenderScope, origin?: TemplateOrigin) {
    this.snapshotsSeen = [];
    const sql = this.render(key, source, scope, origin);
    return { sql, snapshots: [...this.snapshotsSeen] };
  }

  /** Calls a macro by name with positional and keyword arguments (a generic test gets keywords only). */
  call(name: string, positional: unknown[], keywords: Record<string, unknown>, scope: RenderScope): unknown {
    const macro = (this.env as unknown as { globals: Record<string, unknown> }).globals[name];
    if (typeof macro !== 'function') throw new JinjaCallError(`'${name}' is undefined`);
    const args = Object.keys(keywords).length > 0 ? [...positional, { ...keywords, __keywords: true }] : positional;
    return this.inScope(scope, () => (macro as TemplateFunction)(...args));
  }

  /** Evaluates a Jinja expression to its value (not its text): `ref('orders')` → the relation. */
  evaluate(expression: string, scope: RenderScope, origin: TemplateOrigin): unknown {
    const key = `${origin.file}#expr:${expression}`;
    this.render(key, `{{ __capture(${expression}) }}`, scope, origin);
    return this.captured;
  }

  /** Whether a macro of that name exists (a project macro or a built-in one). */
  hasMacro(name: string): boolean {
    return this.macros.has(name);
  }

  private inScope<T>(scope: RenderScope, run: () => T): T {
    this.scopes.push(scope);
    this.setScopeGlobals(scope);
    try {
      return this.guard(run);
    } finally {
      this.scopes.pop();
      this.setScopeGlobals(this.scopes[this.scopes.length - 1]);
    }
  }

  private compile(key: string, source: string, origin: TemplateOrigin): nunjucks.Template {
    this.origins.set(key, origin);
    const cached = this.templates.get(key);
    if (cached && cached.source === source) return cached.template;
    // Jinja drops one trailing newline (keep_trailing_newline=False); nunjucks keeps it.
    const text = source.endsWith('\n') ? source.slice(0, -1) : source;
    const template = this.guard(() => new nunjucks.Template(text, this.env, key, true));
    this.templates.set(key, { source, template });
    return template;
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw locateError(error, this.origins) satisfies CompilationError;
    }
  }

  private get scope(): RenderScope {
    const scope = this.scopes[this.scopes.length - 1];
    if (!scope) throw new Error('DbtJinja: no render in progress');
    return scope;
  }

  /** `this`, `model` and `execute` change with every node rendered. */
  private setScopeGlobals(scope: RenderScope | undefined): void {
    this.env.addGlobal('this', scope?.self);
    this.env.addGlobal('model', scope?.node ?? undefined);
    this.env.addGlobal('execute', scope?.execute ?? false);
  }

  /** A macro global that records, for depends_on.macros, that the node called it. */
  private recordingMacro(uniqueId: string, macro: TemplateFunction): TemplateFunction {
    const jinja = this;
    return function (this: unknown, ...args: unknown[]) {
      if (jinja.macroDepth === 0) jinja.scopes[jinja.scopes.length - 1]?.macros.add(uniqueId);
      jinja.macroDepth++;
      try {
        return macro.apply(this, args);
      } finally {
        jinja.macroDepth--;
      }
    };
  }

  private site(): CallSite {
    const origin = this.origins.get(callSite.file);
    return {
      file: origin?.file ?? callSite.file,
      line: callSite.line + (origin?.lineOffset ?? 0),
      column: callSite.col,
    };
  }

  private dbtGlobals(): Record<string, unknown> {
    const { target, env, projectName } = this.options;
    const config = (...args: unknown[]) => {
      const { positional, keywords } = callArguments(args);
      const dict = positional[0];
      this.scope.config({
        ...(dict && typeof dict === 'object' ? (dict as Record<string, unknown>) : {}),
        ...keywords,
      });
      return '';
    };
    // config.get / config.require, as dbt's config object has them.
    Object.assign(config, {
      get: (...args: unknown[]) => {
        const { name, default: fallback } = bindArguments(args, ['name', 'default']);
        const value = this.scope.configGet(String(name));
        return value === undefined || value === null ? (fallback ?? value ?? null) : value;
      },
      require: (name: string) => {
        const value = this.scope.configGet(name);
        if (value === undefined || value === null) {
          throw new JinjaCallError(
            `Required config '${name}' is not set`,
            `Set it with {{ config(${name}=…) }} or in a yml file.`,
          );
        }
        return value;
      },
    });
    return {
      ref: (...args: unknown[]) => {
        const { positional, keywords } = callArguments(args);
        const names = positional.map(String);
        if (names.length === 0 || names.length > 2) {
          throw new JinjaCallError(
            `ref() takes 1 or 2 arguments, got ${names.length}`,
            "Write ref('model') or ref('package', 'model').",
          );
        }
        const version = keywords.version ?? keywords.v ?? null;
        const call = {
          name: names[names.length - 1] ?? '',
          package: names.length === 2 ? (names[0] ?? null) : null,
          version: version === null ? null : (version as string | number),
        };
        return this.scope.ref(call, this.site());
      },
      source: (...args: unknown[]) => {
        const { source_name, table_name } = bindArguments(args, ['source_name', 'table_name']);
        if (typeof source_name !== 'string' || typeof table_name !== 'string') {
          throw new JinjaCallError('source() takes 2 arguments', "Write source('source_name', 'table_name').");
        }
        return this.scope.source(source_name, table_name, this.site());
      },
      config,
      var: (...args: unknown[]) => {
        const { name, default: fallback } = bindArguments(args, ['name', 'default']);
        const key = String(name);
        const scoped = this.vars[projectName];
        if (scoped && typeof scoped === 'object' && key in (scoped as object)) {
          return (scoped as Record<string, unknown>)[key];
        }
        if (Object.hasOwn(this.vars, key)) return this.vars[key];
        if (fallback !== undefined) return fallback;
        const node = this.scopes[this.scopes.length - 1]?.node?.name ?? projectName;
        throw new JinjaCallError(
          `Required var '${key}' not found in config: Vars supplied to ${node} = ${JSON.stringify(this.vars)}`,
          `Set it under vars: in dbt_project.yml, pass --vars '{${key}: …}', or give a default: var('${key}', …).`,
        );
      },
      env_var: (...args: unknown[]) => {
        const { var: name, default: fallback } = bindArguments(args, ['var', 'default']);
        const value = env[String(name)];
        if (value !== undefined) return value;
        if (fallback !== undefined && fallback !== null) return String(fallback);
        throw new JinjaCallError(
          `Env var required but not provided: '${String(name)}'`,
          `Set ${String(name)} in the environment (or .env), or give a default: env_var('${String(name)}', '…').`,
        );
      },
      is_incremental: () => this.scope.isIncremental,
      target: { ...target },
      project_name: projectName,
      invocation_id: this.options.invocationId ?? null,
      run_started_at: runStartedAtValue(this.options.runStartedAt ?? new Date()),
      log: (...args: unknown[]) => {
        const { msg } = bindArguments(args, ['msg', 'info']);
        this.scopes[this.scopes.length - 1]?.logs.push(String(msg));
        return '';
      },
      print: (...args: unknown[]) => {
        this.scopes[this.scopes.length - 1]?.logs.push(args.map(String).join(' '));
        return '';
      },
      return: (value: unknown) => {
        throw new MacroReturn(value);
      },
      exceptions: {
        raise_compiler_error: (message: unknown) => {
          throw new JinjaCallError(String(message));
        },
        warn: (message: unknown) => {
          this.scopes[this.scopes.length - 1]?.logs.push(`Warning: ${String(message)}`);
          return '';
        },
      },
      doc: (...args: unknown[]) => {
        const names = callArguments(args).positional.map(String);
        const name = names[names.length - 1] ?? '';
        const text = this.docs.get(name);
        if (text === undefined) {
          throw new JinjaCallError(
            `Documentation for '${name}' was not found`,
            `Write {% docs ${name} %}…{% enddocs %} in a .md file in a model folder.`,
          );
        }
        return text;
      },
      namespace: (...args: unknown[]) => ({ ...callArguments(args).keywords }),
      tojson: (value: unknown) => JSON.stringify(value),
      fromjson: (text: unknown) => JSON.parse(String(text)),
      zip: (...lists: unknown[][]) =>
        Array.from({ length: Math.min(...lists.map((list) => list.length)) }, (_, i) => lists.map((list) => list[i])),
      should_store_failures: () => Boolean(this.scope.configGet('store_failures')),
      get_where_subquery: (relation: unknown) => {
        const where = this.scope.configGet('where');
        return where ? `(select * from ${String(relation)} where ${String(where)}) dbt_subquery` : relation;
      },
      __capture: (value: unknown) => {
        this.captured = value;
        return '';
      },
    };
  }
}

/** The text and line of each `{% macro name %}` / `{% test name %}` block, by macro name. */
function macroTexts(source: string): Map<string, { sql: string; line: number }> {
  const out = new Map<string, { sql: string; line: number }>();
  const pattern = /\{%-?\s*(macro|test)\s+(\w+)[\s\S]*?\{%-?\s*end(?:macro|test)\s*-?%\}/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[1] === 'test' ? `test_${match[2]}` : (match[2] ?? '');
    out.set(name, { sql: match[0], line: source.slice(0, match.index).split('\n').length });
  }
  return out;
}
