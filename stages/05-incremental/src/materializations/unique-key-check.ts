import { quoteIdentifier } from '@mart/shared';
import type { ManifestNode } from '../manifest/types.ts';
import { NodeError } from '../run/node-error.ts';
import type { NodeSession } from '../run/node-session.ts';
import type { CatalogColumn } from '../run/relations.ts';

/** How many offending key values a message lists. */
const shown = 10;

/**
 * The unique_key columns as the relation spells them. A key that is not a column of the
 * model is a Compilation Error (dbt would splice it as an expression; the pieces quote
 * key names, so it must be a column).
 */
export function resolveKeyColumns(
  node: ManifestNode,
  keys: readonly string[],
  columns: readonly CatalogColumn[],
): string[] {
  return keys.map((key) => {
    const column = columns.find((c) => c.name.toLowerCase() === key.toLowerCase());
    if (!column) {
      throw new NodeError(
        'Compilation',
        `unique_key '${key}' is not a column of ${node.name} (its columns: ${columns.map((c) => c.name).join(', ')}).`,
        { hint: "List several key columns as a list: unique_key: ['a', 'b']." },
      );
    }
    return column.name;
  });
}

/**
 * Refuses new rows whose unique_key is NULL or (unless `allowDuplicates`) repeated,
 * before anything is written. dbt never checks: a merge then updates one row several
 * times (or fails), delete+insert keeps every copy and NULL keys never match, so each run
 * appends them again: its most reported incremental failure, silent duplicates. Here it
 * is an error naming the model and up to ten offending key values.
 *
 * @example
 * await assertUniqueKeys(session, node, '"temp"."main"."orders__dbt_tmp"', ['order_id'], { allowDuplicates: false });
 */
export async function assertUniqueKeys(
  session: NodeSession,
  node: ManifestNode,
  relation: string,
  keys: readonly string[],
  options: {
    allowDuplicates: boolean;
    /** What the rows are, for the message: `the new rows` (default) or `the snapshot's source rows`. */
    rows?: string;
    /** Why it matters, for the message. */
    consequence?: string;
  },
): Promise<void> {
  if (keys.length === 0) return;
  const columns = keys.map(quoteIdentifier);
  const list = columns.join(', ');
  const anyNull = columns.map((c) => `${c} is null`).join(' or ');
  const problems: string[] = [];

  const nulls = await session.query<Record<string, unknown>>(
    `select ${list}, count(*) as "__rows" from ${relation} where ${anyNull}
      group by ${list} order by "__rows" desc limit ${shown}`,
  );
  if (nulls.length > 0) {
    const total = await session.query<{ n: number }>(`select count(*) as n from ${relation} where ${anyNull}`);
    const rows = Number(total[0]?.n ?? 0);
    problems.push(
      `${rows === 1 ? '1 row has' : `${rows} rows have`} a NULL key (NULL never matches, so every run would add ${rows === 1 ? 'it' : 'them'} again): ${formatKeys(nulls, keys)}`,
    );
  }
  if (!options.allowDuplicates) {
    const duplicated = `select ${list}, count(*) as "__rows" from ${relation} where not (${anyNull})
      group by ${list} having count(*) > 1`;
    const duplicates = await session.query<Record<string, unknown>>(
      `${duplicated} order by "__rows" desc, ${list} limit ${shown}`,
    );
    if (duplicates.length > 0) {
      const total = await session.query<{ n: number }>(`select count(*) as n from (${duplicated})`);
      const values = Number(total[0]?.n ?? 0);
      problems.push(
        `${values === 1 ? '1 key value appears' : `${values} key values appear`} more than once: ${formatKeys(duplicates, keys)}`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new NodeError(
    'Runtime',
    [
      `unique_key (${keys.join(', ')}) of ${node.name} must be unique and not NULL in ${options.rows ?? 'the new rows'}, so nothing was written:`,
      ...problems.map((problem) => `  ${problem}`),
      options.consequence ??
        'Written as they are, they would be silent duplicates (a merge updates one row several times, delete+insert keeps every copy).',
    ].join('\n'),
    {
      hint: `Make the model return one row per key (e.g. qualify row_number() over (partition by ${keys.join(', ')} order by …) = 1), filter out NULL keys, or choose a unique_key that identifies a row.`,
    },
  );
}

/** `7 (2 rows), 9 (3 rows)`; composite keys as `(1, 'a')`. */
function formatKeys(rows: Record<string, unknown>[], keys: readonly string[]): string {
  return rows
    .map((row) => {
      const values = keys.map((key) => formatValue(row[key]));
      const key = values.length === 1 ? values[0] : `(${values.join(', ')})`;
      const count = Number(row.__rows);
      return `${key} (${count} ${count === 1 ? 'row' : 'rows'})`;
    })
    .join(', ');
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return `'${String(value)}'`;
}
