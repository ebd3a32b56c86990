import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { log } from '@clack/prompts';
import {
  type Command,
  exportsDir,
  openWarehouse,
  quoteIdentifier,
  quoteLiteral,
  renderTable,
  shownPath,
  twoDigits,
} from '@mart/shared';
import { starSchemaTables } from '../star-schema-tables.ts';

/** `export` for any stage whose warehouse holds the star schema. */
export function exportCommand(stage: number): Command {
  const defaultOut = `data/exports/stage-${twoDigits(stage)}`;
  return {
    description: `Write every star-schema table to ${defaultOut}/ as CSV or JSON.`,
    options: {
      format: { type: 'string', description: 'File format.', default: 'csv', choices: ['csv', 'json'] },
      out: { type: 'string', valueName: 'DIR', description: 'Write somewhere else.', default: defaultOut },
    },
    examples: [`pnpm stage ${stage} export`, `pnpm stage ${stage} export --format json`],
    async run({ options, io }) {
      const format = options.format === 'json' ? 'json' : 'csv';
      const outDir = options.out === defaultOut ? exportsDir(stage) : resolve(String(options.out));
      mkdirSync(outDir, { recursive: true });
      const db = await openWarehouse(stage);
      const written: Array<Record<string, string | number>> = [];
      try {
        for (const table of starSchemaTables) {
          const file = join(outDir, `${table}.${format}`);
          // COPY takes its target as a literal, not a parameter: quote it, never splice it raw.
          const copyOptions = format === 'csv' ? '(format csv, header true)' : '(format json, array true)';
          await db.run(`copy ${quoteIdentifier(table)} to ${quoteLiteral(file)} ${copyOptions}`);
          const rows = await db.value<number>(`select count(*)::int from ${quoteIdentifier(table)}`);
          written.push({ file: shownPath(file), rows, bytes: statSync(file).size });
        }
      } finally {
        db.close();
      }
      log.success(`Exported ${written.length} tables as ${format.toUpperCase()} to ${shownPath(outDir)}/`, {
        output: io.output,
      });
      log.message(renderTable(written), { output: io.output });
      return 0;
    },
  };
}
