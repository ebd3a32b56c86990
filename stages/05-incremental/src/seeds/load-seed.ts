import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { InputFileError, quoteIdentifier, quoteLiteral } from '@mart/shared';
import type { ManifestNode } from '../manifest/types.ts';
import type { NodeContext, NodeOutcome } from '../run/node-context.ts';
import { shouldFullRefresh } from '../run/node-context.ts';
import { NodeError } from '../run/node-error.ts';
import type { NodeSession } from '../run/node-session.ts';
import { relationColumns, relationKind, relationSql } from '../run/relations.ts';
import { inferSeedColumns, type SeedColumn, seedValue } from './infer-seed-types.ts';
import { type ParsedCsv, parseCsv } from './parse-csv.ts';

/** Rows per insert statement (dbt inserts seeds in chunks of 10,000 too). */
const chunkSize = 10_000;

/** A column type as written in `column_types`: a type name, optional (p, s), optional []. No SQL. */
const typePattern = /^[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)*(?:\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\))?(?:\[\])*$/;

/** A seed file read and typed, ready to load. */
export interface SeedFile {
  file: string;
  csv: ParsedCsv;
  columns: SeedColumn[];
}

/**
 * Reads a seed's CSV and infers its column types as dbt does (infer-seed-types.ts). A
 * file that is missing, not UTF-8 or malformed is an InputFileError naming the file and
 * line; a `column_types` value that is not a type name is refused (it goes into DDL).
 */
export function readSeedFile(node: ManifestNode): SeedFile {
  const file = node.originalFilePath;
  if (!existsSync(node.absolutePath)) throw new InputFileError(file, `file not found (${node.absolutePath})`);
  const bytes = readFileSync(node.absolutePath);
  if (!isUtf8(bytes)) {
    throw new InputFileError(file, 'the file is not UTF-8 text', {
      hint: 'Save it as UTF-8 (most editors offer it under "Save as").',
    });
  }
  const delimiter =
    typeof node.config.delimiter === 'string' && node.config.delimiter !== '' ? node.config.delimiter : ',';
  const csv = parseCsv(bytes.toString('utf8'), { file, delimiter });
  const columnTypes = (node.config.column_types ?? {}) as Record<string, string>;
  for (const [column, type] of Object.entries(columnTypes)) {
    if (typeof type !== 'string' || !typePattern.test(type.trim())) {
      throw new InputFileError(
        file,
        `column_types gives column "${column}" the type ${JSON.stringify(type)}, which is not a type name`,
        {
          hint: 'Write a DuckDB type, e.g. varchar, bigint, decimal(10,2), date.',
        },
      );
    }
  }
  const trimmed = Object.fromEntries(Object.entries(columnTypes).map(([k, v]) => [k, String(v).trim()]));
  const columns = inferSeedColumns(
    csv.header,
    csv.records.map((record) => record.fields),
    trimmed,
  );
  return { file, csv, columns };
}

/**
 * `dbt seed` for one seed (dbt-duckdb's flow, §3.3), in one transaction: a missing table
 * is created with the inferred types; an existing one is emptied and reloaded keeping its
 * types (they are not re-inferred); `--full-refresh` (or `full_refresh: true`) drops and
 * recreates it. Values travel as one JSON parameter per chunk and are cast by DuckDB,
 * never spliced into SQL; a value that does not fit its column is an error naming the
 * line and column.
 */
export async function runSeed(ctx: NodeContext): Promise<NodeOutcome> {
  const { node, session } = ctx;
  const seed = readSeedFile(node);
  const target = node.relation;
  const table = relationSql(target);
  const existing = await relationKind(session.db, target);
  if (existing === 'view') {
    throw new NodeError('Runtime', `Cannot seed to '${table}', it is a view`, {
      hint: `Drop the view or give the seed another alias.`,
    });
  }
  const fullRefresh = shouldFullRefresh(node, ctx.fullRefresh);
  const rows = await session.transaction(async () => {
    let types: string[];
    let names: string[];
    if (existing === 'table' && !fullRefresh) {
      const current = await relationColumns(session.db, target);
      const matched = seed.columns.map((column) => {
        const found = current.find((c) => c.name.toLowerCase() === column.name.toLowerCase());
        if (!found) {
          throw new NodeError(
            'Runtime',
            `${seed.file} has the column "${column.name}", which the table ${table} does not have (its columns: ${current.map((c) => c.name).join(', ')}).`,
            { hint: 'A seed keeps its table between runs; recreate it from the file with --full-refresh.' },
          );
        }
        return found;
      });
      await session.execute(`delete from ${table} where 1=1`);
      names = matched.map((c) => c.name);
      types = matched.map((c) => c.type);
    } else {
      if (existing === 'table') await session.execute(`drop table if exists ${table}`);
      names = seed.columns.map((c) => c.name);
      types = seed.columns.map((c) => c.sqlType);
      const definitions = seed.columns.map((c) => `${quoteIdentifier(c.name)} ${c.sqlType}`).join(', ');
      await session.execute(`create table ${table} (${definitions})`);
    }
    return insertSeedRows(session, seed, table, names, types);
  });
  const code = fullRefresh ? 'CREATE' : 'INSERT';
  return {
    status: 'success',
    message: `${code} ${rows}`,
    rowsAffected: rows,
    adapterResponse: { _message: `${code} ${rows}`, code, rows_affected: rows },
    compiled: null,
    compiledCode: null,
    relationName: table,
  };
}

/** Inserts the seed's rows in chunks, each value converted as dbt reads it and cast by DuckDB. */
async function insertSeedRows(
  session: NodeSession,
  seed: SeedFile,
  table: string,
  names: string[],
  types: string[],
): Promise<number> {
  const keys = seed.columns.map((_, i) => `c${i}`);
  // The structure names only our own keys (c0, c1…): no file text reaches the SQL.
  const structure = quoteLiteral(
    JSON.stringify([Object.fromEntries([['r', 'INTEGER'], ...keys.map((k) => [k, 'VARCHAR'])])]),
  );
  const source = `(select unnest(from_json($1::json, ${structure}), recursive := true))`;
  const casts = keys.map((key, i) => `cast(${key} as ${types[i]})`).join(', ');
  const insert = `insert into ${table} (${names.map(quoteIdentifier).join(', ')}) select ${casts} from ${source}`;
  const failing = keys
    .map(
      (key, i) => `min(case when ${key} is not null and try_cast(${key} as ${types[i]}) is null then r end) as ${key}`,
    )
    .join(', ');
  const check = `select ${failing} from ${source}`;

  let inserted = 0;
  for (let start = 0; start < seed.csv.records.length; start += chunkSize) {
    const chunk = seed.csv.records.slice(start, start + chunkSize);
    const json = JSON.stringify(
      chunk.map((record, r) =>
        Object.fromEntries([
          ['r', r],
          ...seed.columns.map((column, i) => [keys[i], seedValue(column.kind, record.fields[i] ?? '')]),
        ]),
      ),
    );
    // A value DuckDB cannot cast would fail the insert (and the transaction) without
    // saying where: find it first and name the line and column.
    const [bad] = await session.query<Record<string, number | null>>(check, [json]);
    for (const [i, key] of keys.entries()) {
      const at = bad?.[key];
      if (at === null || at === undefined) continue;
      const record = chunk[at];
      const column = seed.columns[i] as SeedColumn;
      throw new InputFileError(
        seed.file,
        `"${record?.fields[i] ?? ''}" in column "${column.name}" is not a valid ${types[i]}`,
        {
          line: record?.line,
          column: i + 1,
          hint:
            column.kind === 'integer' && !column.overridden
              ? `dbt infers integer (32 bits) for whole numbers; give the column a wider type: column_types: {${column.name}: bigint}.`
              : `Fix the value, or set the column's type with column_types in the seed's yml.`,
        },
      );
    }
    inserted += (await session.execute(insert, [json])) ?? chunk.length;
  }
  return inserted;
}
