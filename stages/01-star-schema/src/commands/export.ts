import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import {
  type Command,
  defineCommand,
  openWarehouse,
  quoteIdentifier,
  quoteLiteral,
  renderTable,
  twoDigits,
} from '@mart/shared';
import { starSchemaTables } from '../star-schema-tables.ts';

/** `export` for any stage whose warehouse holds the star schema; a stage may add tables of its own. */
export function exportCommand(stage: number, extraTables: readonly string[] = []): Command {
  const defaultOut = `data/exports/stage-${twoDigits(stage)}`;
  return defineCommand({
    description: `Write every star-schema table to ${defaultOut}/ as CSV or JSON.`,
    options: {
      format: { type: 'string', description: 'File format.', default: 'csv', choices: ['csv', 'json'] },
      out: { type: 'string', valueName: 'DIR', description: 'Write somewhere else.', default: defaultOut },
    },
    withoutMine: true,
    examples: [`pnpm stage ${stage} export`, `pnpm stage ${stage} export --format json`],
    async run({ options, io, paths, color }) {
      const format = options.format;
      const outDir = options.out === defaultOut ? paths.output('exports', stage) : paths.resolve(options.out);
      mkdirSync(outDir, { recursive: true });
      const db = await openWarehouse(paths, stage);
      const written: Array<Record<string, string | number>> = [];
      try {
        for (const table of [...starSchemaTables, ...extraTables]) {
          const file = join(outDir, `${table}.${format}`);
          // COPY takes its target as a literal, not a parameter: quote it, never splice it raw.
          const copyOptions = format === 'csv' ? '(format csv, header true)' : '(format json, array true)';
          await db.run(`copy ${quoteIdentifier(table)} to ${quoteLiteral(file)} ${copyOptions}`);
          const rows = await db.value<number>(`select count(*)::int from ${quoteIdentifier(table)}`);
          written.push({ file: paths.shown(file), rows, bytes: statSync(file).size });
        }
      } finally {
        db.close();
      }
      log.success(`Exported ${written.length} tables as ${format.toUpperCase()} to ${paths.shown(outDir)}/`, {
        output: io.output,
      });
      log.message(renderTable(written, { color }), { output: io.output });
      return 0;
    },
  });
}
