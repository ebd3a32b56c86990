import { defineCommand, formatRows, outputFormats } from '@mart/shared';
import { catalogAlias } from '../ducklake/lake-session.ts';
import { listSnapshots } from '../ducklake/read/list-snapshots.ts';
import { openCatalogOnly } from '../open-lake.ts';

export const snapshots = defineCommand({
  description: "List the lake's snapshots: id, time, and what each changed.",
  options: {
    format: {
      type: 'string',
      valueName: 'F',
      description: 'table, csv or json.',
      default: 'table',
      choices: outputFormats,
    },
  },
  examples: ['pnpm stage 4 snapshots', 'pnpm stage 4 snapshots --format json'],
  async run(context) {
    const { options, io, color } = context;
    // Only catalog rows: no S3 connection, so this works while the endpoint is down.
    const session = await openCatalogOnly(context);
    try {
      const { db } = session;
      const rows = (await listSnapshots(db, catalogAlias)).map((snapshot) => ({
        snapshot: snapshot.id,
        time: snapshot.time,
        schema_version: snapshot.schemaVersion,
        changes: summarizeChanges(snapshot.changes.map((change) => change.kind)),
        message: snapshot.commitMessage ?? '',
      }));
      io.output.write(`${formatRows(rows, options.format, { color })}\n`);
    } finally {
      session.close();
    }
    return 0;
  },
});

/** `created_table ×9, inserted_into_table ×9`: what a snapshot did, short enough for a table. */
function summarizeChanges(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n === 1 ? kind : `${kind} ×${n}`)).join(', ');
}
