// Constructs a small dbt project may use that this runner does not support. Each is a
// global that fails the render with what to do instead, at the line that used it.
import { JinjaCallError } from './jinja-call-error.ts';

const atCompileTime =
  'This runner never queries the database while compiling: write the SQL directly in the model (or compute the value in a CTE).';

/** An object any attribute of which (`adapter.dispatch`, `adapter.get_columns_in_relation`) fails with `hint`. */
function refusingObject(name: string, hintFor: (attribute: string) => string): object {
  return new Proxy(
    {},
    {
      get(_target, attribute) {
        // nunjucks asks for Symbol.toStringTag to tell objects apart: not the user's doing.
        if (typeof attribute === 'symbol') return undefined;
        // Printing `{{ adapter }}` asks for toString.
        const shown = attribute !== 'toString' ? `${name}.${attribute}` : name;
        throw new JinjaCallError(`${shown} is not supported`, hintFor(String(attribute)));
      },
    },
  );
}

function refusingFunction(name: string, hint: string): () => never {
  return () => {
    throw new JinjaCallError(`${name}() is not supported`, hint);
  };
}

/** The globals that refuse, by name. */
export function unsupportedGlobals(): Record<string, unknown> {
  return {
    adapter: refusingObject('adapter', (attribute) =>
      attribute === 'dispatch'
        ? 'Call the implementation macro directly (e.g. rename default__my_macro to my_macro in macros/), or copy the package macro into macros/.'
        : atCompileTime,
    ),
    run_query: refusingFunction('run_query', atCompileTime),
    statement: refusingFunction('statement', atCompileTime),
    load_result: refusingFunction('load_result', atCompileTime),
    dbt: refusingObject(
      'dbt',
      () =>
        "dbt's cross-database macros are not supported: write the DuckDB SQL directly (e.g. now() for dbt.current_timestamp()).",
    ),
    modules: refusingObject(
      'modules',
      () => 'Python modules are not available: use DuckDB date and string functions in the SQL.',
    ),
    graph: refusingObject('graph', () => 'The graph variable is not supported: ref() the models you need.'),
  };
}
