import {
  type Command,
  describeTables,
  formatRows,
  type OutputFormat,
  openWarehouse,
  renderTable,
  writeLine,
} from '@mart/shared';

/** `inspect` for any stage: every table in its warehouse with columns, types and row counts. */
export function inspectCommand(stage: number): Command {
  return {
    description: 'List the warehouse tables with their columns, types and row counts.',
    options: {
      format: {
        type: 'string',
        description: 'table for people, json for scripts.',
        default: 'table',
        choices: ['table', 'json'],
      },
    },
    async run({ options, io }) {
      const db = await openWarehouse(stage);
      try {
        const tables = await describeTables(db);
        if ((options.format as OutputFormat) === 'json') {
          writeLine(io, JSON.stringify(tables, null, 2));
          return 0;
        }
        writeLine(
          io,
          renderTable(tables.map((table) => ({ table: table.name, rows: table.rows, columns: table.columns.length }))),
        );
        for (const table of tables) {
          writeLine(io, `\n${table.name} (${table.rows} rows)`);
          writeLine(
            io,
            formatRows(
              table.columns.map((column) => ({ ...column })),
              'table',
            ).trimEnd(),
          );
        }
        return 0;
      } finally {
        db.close();
      }
    },
  };
}
