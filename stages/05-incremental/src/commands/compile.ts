import { existsSync } from 'node:fs';
import { log } from '@clack/prompts';
import { countOf, Database, defineCommand, renderTable, writeLine } from '@mart/shared';
import { compiledRelativePath, writeCompiledFile } from '../artifacts/compiled-files.ts';
import { writeManifestJson } from '../artifacts/manifest-json.ts';
import { readStateManifest } from '../artifacts/state-manifest.ts';
import type { ManifestNode } from '../manifest/types.ts';
import { selectNodes } from '../selection/select-nodes.ts';
import { openProject } from './open-project.ts';
import { projectChoice, projectOptions, selectionOptions } from './project-options.ts';

export const compile = defineCommand({
  description:
    'Render the models, snapshots and tests to the SQL they run (target/compiled/); one selected node prints its SQL.',
  options: { ...projectOptions, ...selectionOptions },
  examples: [
    'pnpm stage 5 compile',
    'pnpm stage 5 compile --select stg_sales',
    'pnpm stage 5 compile -s daily_revenue',
  ],
  async run(context) {
    const { options, io, paths, color } = context;
    const output = io.output;
    const choice = projectChoice(options, paths);
    const { project, manifest, compiler } = await openProject(context, choice);
    const selected = selectNodes(manifest, {
      select: options.select,
      exclude: options.exclude,
      resourceTypes: ['model', 'snapshot', 'test'],
      stateManifest: options.state === undefined ? undefined : readStateManifest(paths.resolve(options.state)),
      onWarning: (message) => log.warn(message, { output }),
    });
    const nodes = selected.flatMap((id) => manifest.nodes.get(id) ?? []);
    // is_incremental() is true for an incremental model whose table exists, as in a run.
    const existing = await existingTables(project.target.path, project.target.database);
    const compiled = new Map<string, { sql: string; extraCtes: [] }>();
    const rows: Array<Record<string, string>> = [];
    for (const node of nodes) {
      const isIncremental = node.config.materialized === 'incremental' && existing.has(relationKey(node));
      const { sql } = compiler.compile(node, { isIncremental });
      compiled.set(node.uniqueId, { sql, extraCtes: [] });
      writeCompiledFile(project.targetPath, node, sql, 'compiled');
      rows.push({
        node: node.name,
        type: node.resourceType === 'model' ? String(node.config.materialized) : node.resourceType,
        incremental: isIncremental ? 'yes' : '',
        file: `${paths.shown(project.targetPath)}/${compiledRelativePath(node)}`,
      });
    }
    writeManifestJson(manifest, { projectRoot: project.root, targetPath: project.targetPath, compiled });
    // One model or snapshot selected (its tests ride along): its SQL on stdout, ready to
    // paste into a DuckDB shell, as `dbt compile -s x` shows it.
    const built = nodes.filter((node) => node.resourceType !== 'test');
    const only = built.length === 1 ? built[0] : nodes.length === 1 ? nodes[0] : undefined;
    if (only) {
      writeLine(io, compiled.get(only.uniqueId)?.sql ?? '');
      return 0;
    }
    if (rows.length > 0) log.message(renderTable(rows, { compact: true, color }), { output });
    log.success(`Compiled ${countOf(nodes.length, 'node')} into ${paths.shown(project.targetPath)}/compiled/.`, {
      output,
    });
    return 0;
  },
});

function relationKey(node: Pick<ManifestNode, 'relation'>): string {
  return `${node.relation.schema}.${node.relation.identifier}`.toLowerCase();
}

/** `schema.table` of every table already in the warehouse (none when there is no warehouse yet). */
async function existingTables(path: string, database: string): Promise<Set<string>> {
  if (!existsSync(path)) return new Set();
  const db = await Database.open(path, { readOnly: true });
  try {
    const rows = await db.all<{ name: string }>(
      `select lower(schema_name || '.' || table_name) as name from duckdb_tables() where database_name = $1`,
      [database],
    );
    return new Set(rows.map((row) => row.name));
  } finally {
    db.close();
  }
}
