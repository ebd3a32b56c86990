import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  duckDbTypeOf,
  isUrl,
  joinLakePath,
  localLakeFiles,
  parseChanges,
  resolveLakePath,
} from '../src/ducklake/read/index.ts';

// The small rules of the DuckLake reader that the extension's fixture does not cover:
// absolute and URL paths, every type name, quoted names in changes_made.
describe('DuckLake reader parts', () => {
  test('paths: relative ones continue their parent, absolute ones stand alone', () => {
    expect(joinLakePath('data/', 'main/')).toBe('data/main/');
    expect(joinLakePath('data', 'main/')).toBe('data/main/');
    expect(joinLakePath('data/main/', '')).toBe('data/main/');
    expect(resolveLakePath('s3://bucket/lake/', 'main/', true)).toBe('s3://bucket/lake/main/');
    expect(resolveLakePath('s3://bucket/lake/main/sales/', 'year=2024/f.parquet', true)).toBe(
      's3://bucket/lake/main/sales/year=2024/f.parquet',
    );
    expect(resolveLakePath('data/main/', 's3://other/sales/', false)).toBe('s3://other/sales/');
    // Catalogs from before schema and table paths existed: the parent itself.
    expect(resolveLakePath('data/', null, null)).toBe('data/');
    expect(isUrl('s3://bucket/lake/')).toBe(true);
    expect(isUrl('C:/lake/')).toBe(false);
    expect(isUrl('data/')).toBe(false);
  });

  test('local files: relative to the catalog folder, absolute as is, URLs refused', async () => {
    const files = localLakeFiles('/lakes/one');
    expect(await files.localPath('data/main/sales/f.parquet')).toBe(join('/lakes/one', 'data/main/sales/f.parquet'));
    expect(await files.localPath('/mnt/lake/f.parquet')).toBe('/mnt/lake/f.parquet');
    await expect(files.localPath('s3://bucket/lake/f.parquet')).rejects.toThrow(/is not on this machine/);
  });

  test('DuckLake type names map to DuckDB types', () => {
    const cases: [string, string][] = [
      ['boolean', 'BOOLEAN'],
      ['int8', 'TINYINT'],
      ['int16', 'SMALLINT'],
      ['int32', 'INTEGER'],
      ['int64', 'BIGINT'],
      ['uint64', 'UBIGINT'],
      ['float32', 'FLOAT'],
      ['float64', 'DOUBLE'],
      ['decimal(18,4)', 'DECIMAL(18,4)'],
      ['date', 'DATE'],
      ['timestamp', 'TIMESTAMP'],
      ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
      ['timestamp_ns', 'TIMESTAMP_NS'],
      ['varchar', 'VARCHAR'],
      ['blob', 'BLOB'],
      ['uuid', 'UUID'],
      ['json', 'JSON'],
    ];
    expect(cases.map(([lake]) => duckDbTypeOf(lake))).toEqual(cases.map(([, duckDb]) => duckDb));
    expect(() => duckDbTypeOf('geometry')).toThrow("The lake column type 'geometry' is not supported");
  });

  test('changes_made: commas and colons inside quoted names stay in the name', () => {
    expect(parseChanges('created_table:"main"."a,b:c",inlined_insert:1')).toEqual([
      { kind: 'created_table', target: '"main"."a,b:c"' },
      { kind: 'inlined_insert', target: '1' },
    ]);
    expect(parseChanges('created_schema:"say ""hi"", ok"')).toEqual([
      { kind: 'created_schema', target: '"say ""hi"", ok"' },
    ]);
    expect(parseChanges('')).toEqual([]);
  });
});
