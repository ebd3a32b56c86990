import {
  type Command,
  defineCommand,
  describeTables,
  formatRows,
  openWarehouse,
  renderTable,
  writeLine,
} from '@mart/shared';

/** `inspect` for any stage: every table in its warehouse with columns, types and row counts. */
export function inspectCommand(stage: number): Command {
  return defineCommand({
    description: 'List the warehouse tables with their columns, types and row counts.',
    options: {
      format: {
        type: 'string',
        description: 'table for people, json for scripts.',
        default: 'table',
        choices: ['table', 'json'],
      },
    },
    withoutMine: true,
    async run({ options, io, paths, color }) {
      const db = await openWarehouse(paths, stage);
      try {
        const tables = await describeTables(db);
        if (options.format === 'json') {
          writeLine(io, JSON.stringify(tables, null, 2));
          return 0;
        }
        writeLine(
          io,
          renderTable(
            tables.map((table) => ({ table: table.name, rows: table.rows, columns: table.columns.length })),
            { color },
          ),
        );
        for (const table of tables) {
          writeLine(io, `\n${table.name} (${table.rows} ${table.rows === 1 ? 'row' : 'rows'})`);
          writeLine(
            io,
            formatRows(
              table.columns.map((column) => ({ ...column })),
              'table',
              { color },
            ).trimEnd(),
          );
        }
        return 0;
      } finally {
        db.close();
      }
    },
  });
}
