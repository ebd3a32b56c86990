import { readFileSync } from 'node:fs';
import { builtinMacrosFile } from '../jinja/builtin-macros.ts';
import type { DbtJinja } from '../jinja/dbt-jinja.ts';
import type { ProjectFile } from './project-files.ts';
import type { MacroNode } from './types.ts';

/** dbt macros this runner implements in TypeScript; listed so depends_on.macros points at something. */
const runnerMacros: Record<string, string> = {
  is_incremental: '{% macro is_incremental() %}{# implemented by the runner #}{% endmacro %}',
  get_where_subquery: '{% macro get_where_subquery(relation) %}{# implemented by the runner #}{% endmacro %}',
  should_store_failures: '{% macro should_store_failures() %}{# implemented by the runner #}{% endmacro %}',
};

/**
 * Loads the project's macro files (macro-paths and tests/generic/) into the Jinja
 * environment, and lists every macro, the built-in ones included, for the manifest.
 */
export function macroNodes(
  jinja: DbtJinja,
  projectName: string,
  files: readonly ProjectFile[],
): Map<string, MacroNode> {
  for (const file of files) {
    jinja.loadMacroFile(file.originalFilePath, readFileSync(file.absolutePath, 'utf8'), projectName);
  }
  const out = new Map<string, MacroNode>();
  for (const [name, sql] of Object.entries(runnerMacros)) {
    const uniqueId = `macro.dbt.${name}`;
    out.set(uniqueId, {
      uniqueId,
      name,
      packageName: 'dbt',
      originalFilePath: builtinMacrosFile,
      macroSql: sql,
      dependsOnMacros: [],
      line: 1,
    });
  }
  const definitions = [...jinja.macros.values()];
  for (const definition of definitions) {
    out.set(definition.uniqueId, {
      uniqueId: definition.uniqueId,
      name: definition.name,
      packageName: definition.packageName,
      originalFilePath: definition.file,
      macroSql: definition.sql,
      dependsOnMacros: [],
      line: definition.line,
    });
  }
  // A macro depends on the macros its text calls (a plain name match, like dbt's static analysis).
  for (const macro of out.values()) {
    macro.dependsOnMacros = definitions
      .filter(
        (other) =>
          other.uniqueId !== macro.uniqueId && new RegExp(`\\b${other.name}\\s*\\(`).test(body(macro.macroSql)),
      )
      .map((other) => other.uniqueId);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The macro's text without its own `{% macro name(` header. */
function body(sql: string): string {
  return sql.replace(/^\{%-?\s*(macro|test)\s+\w+\s*\(/, '');
}
