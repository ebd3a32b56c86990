import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import { openRunLake, readParquetSql, salesColumns, salesTable, stageSales } from './lake-fixtures.ts';

/** The staged sales lines (generateDataset, seed 42, as typed Parquet) both sides write. */
function inputIn(inputDir: string): string {
  return join(inputDir, 'sales-input.parquet');
}

/**
 * Writing the sales lines to a new lake table vs DuckDB writing them to a local Parquet
 * file. Ours is one commit of stage 4's DuckLake writer in a new lake (a catalog and an
 * embedded S3 server in the run's folder, started before the clock): create the table,
 * stage the rows, COPY them to Parquet with field ids, read the file's facts, upload it
 * over HTTP to the S3 server, take column statistics from its footer and write the
 * catalog rows in one transaction. The baseline is DuckDB's `COPY … TO 'sales.parquet'`
 * of the same rows. The floor is that COPY plus one raw PutObject of the file to an
 * embedded S3 server (started before the clock): the least any lake write must do.
 */
export const lakeWrite: Scenario = {
  name: 'lake-write',
  description:
    'stage 4 commit of a new lake table to S3 (s3rver) vs DuckDB COPY to a local file; floor: COPY + raw PutObject',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: inputIn(inputDir) });
  },
  async ours(context) {
    const { commitSnapshot, createTable, findTable, insertRows } = await import('@mart/stage-04-lakehouse/testing');
    const lake = await openRunLake(context, { catalog: 'write' });
    const { session } = lake;
    if (!session) throw new Error('openLake returned no catalog session.');
    const source = readParquetSql(inputIn(context.inputDir));
    return async ({ report }) => {
      const { result } = await commitSnapshot(session, async (tx) => {
        await createTable(tx, salesTable.schema, salesTable.table, salesColumns);
        const table = await findTable(tx.db, salesTable.schema, salesTable.table);
        if (!table) throw new Error('The new sales table is missing from the catalog.');
        return insertRows(tx, lake.store, lake.pieces, table, source);
      });
      report({ bytesMoved: result?.bytes ?? 0 });
    };
  },
  async floor(context) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { createS3Client, embeddedCredentials, ensureBucket, startEmbeddedS3 } = await import('@mart/shared');
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { createReadStream, statSync } = await import('node:fs');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const server = await startEmbeddedS3({ directory: join(context.runDir, 's3') });
    const client = createS3Client(
      { ...embeddedCredentials, region: 'us-east-1', bucket: 'mart-lake', embedded: true },
      server.endpoint,
    );
    await ensureBucket(client, 'mart-lake');
    context.afterWork(async () => {
      client.destroy();
      await server.close();
      connection.closeSync();
      instance.closeSync();
    });
    return async ({ inputDir, runDir, report }) => {
      const target = join(runDir, 'sales.parquet');
      await connection.run(
        `copy (${readParquetSql(inputIn(inputDir))}) to '${target.replaceAll("'", "''")}' (format parquet)`,
      );
      const size = statSync(target).size;
      await client.send(
        new PutObjectCommand({
          Bucket: 'mart-lake',
          Key: 'lake/main/sales/sales.parquet',
          Body: createReadStream(target),
          ContentLength: size,
        }),
      );
      report({ bytesMoved: size });
    };
  },
  async baseline({ afterWork }) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    // Opened before the clock, as ours opens its catalog session before it.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    afterWork(() => {
      connection.closeSync();
      instance.closeSync();
    });
    return async ({ inputDir, runDir }) => {
      const target = join(runDir, 'sales.parquet').replaceAll("'", "''");
      await connection.run(`copy (${readParquetSql(inputIn(inputDir))}) to '${target}' (format parquet)`);
    };
  },
};
