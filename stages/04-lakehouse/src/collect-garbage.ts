import { readFileSync } from 'node:fs';
import { catalogAlias } from './ducklake/lake-session.ts';
import { readDataPath } from './ducklake/write/current-table.ts';
import { joinLakePath, resolveLakePath } from './given/index.ts';
import type { Lake } from './open-lake.ts';
import { lakePrefix } from './open-lake.ts';

/**
 * Deletes objects no snapshot and no ingest refers to: files a failed commit or ingest
 * uploaded before it stopped. Every file any snapshot lists is kept — including ended
 * ones, which time travel still reads. (Expiring old snapshots is not implemented.)
 */
export async function collectGarbage(
  lake: Lake,
  options: { dryRun: boolean },
): Promise<{ keys: string[]; bytes: number }> {
  const db = lake.session?.db;
  if (!db) throw new Error('collectGarbage needs the catalog.');
  const dataPath = await readDataPath(db);
  const rows = await db.all<Record<string, string | boolean | null>>(
    `select s.path as schema_path, s.path_is_relative as schema_relative, t.path as table_path,
            t.path_is_relative as table_relative, f.path as file_path, f.path_is_relative as file_relative
       from (select table_id, path, path_is_relative from ${catalogAlias}.ducklake_data_file
             union all select table_id, path, path_is_relative from ${catalogAlias}.ducklake_delete_file) f
       join (select distinct on (table_id) table_id, schema_id, path, path_is_relative
               from ${catalogAlias}.ducklake_table order by table_id, begin_snapshot) t using (table_id)
       join (select distinct on (schema_id) schema_id, path, path_is_relative
               from ${catalogAlias}.ducklake_schema order by schema_id, begin_snapshot) s using (schema_id)`,
  );
  const referenced = new Set<string>();
  for (const row of rows) {
    const schema = resolveLakePath(dataPath, row.schema_path as string, row.schema_relative as boolean);
    const table = resolveLakePath(schema, row.table_path as string, row.table_relative as boolean);
    referenced.add(resolveLakePath(table, row.file_path as string, row.file_relative as boolean));
  }
  const unreferenced: { key: string; size: number }[] = [];
  for (const object of await lake.store.list(lakePrefix)) {
    if (!referenced.has(joinLakePath(lake.store.urlPrefix, object.key))) unreferenced.push(object);
  }
  // Bronze: objects of ingests that never wrote their manifest.
  const bronze = await lake.store.list('bronze/');
  const landed = new Set<string>();
  for (const manifest of bronze.filter((object) => object.key.startsWith('bronze/_ingests/'))) {
    landed.add(manifest.key);
    const { objects } = JSON.parse(readFileSync(await lake.files.fetch(manifest.key), 'utf8')) as {
      objects: { key: string }[];
    };
    for (const object of objects) landed.add(object.key);
  }
  unreferenced.push(...bronze.filter((object) => !landed.has(object.key)));
  const keys = unreferenced.map((object) => object.key);
  if (!options.dryRun && keys.length > 0) await lake.store.delete(keys);
  return { keys, bytes: unreferenced.reduce((sum, object) => sum + object.size, 0) };
}
