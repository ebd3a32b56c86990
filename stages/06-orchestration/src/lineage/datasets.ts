import { resolve } from 'node:path';
import {
  type ColumnLineageInputField,
  type Dataset,
  facetSchemaUrls,
  type SchemaField,
} from '../given/lineage-types.ts';

/**
 * Dataset names, per the OpenLineage naming spec (namespace = where it lives, name =
 * what it is there):
 *
 * | what                         | namespace                          | name                  |
 * |------------------------------|------------------------------------|-----------------------|
 * | a local file (CSV seeds)     | `file`                             | its absolute path     |
 * | an S3 object (bronze Parquet)| `s3://<bucket>`                    | its key               |
 * | a DuckDB table (stage 5)     | `duckdb://<absolute path of file>` | `<schema>.<table>`    |
 * | a DuckLake table (stage 4)   | `ducklake://<absolute path of the catalog file>` | `<schema>.<table>` |
 *
 * DuckDB has no row in the spec's table. `duckdb://` + the file's path is what the
 * official dbt integration writes (from profiles.yml's `path`); the name leaves out the
 * database, which is the file itself. A DuckLake table is named by its catalog the same
 * way (its Parquet files are an implementation detail of the table).
 */
export interface DatasetRef {
  namespace: string;
  name: string;
}

/** A local file: namespace `file`, name its absolute path. */
export function fileDataset(path: string): DatasetRef {
  return { namespace: 'file', name: resolve(path) };
}

/** An S3 object: namespace `s3://<bucket>`, name its key (no leading `/`). */
export function s3Dataset(bucket: string, key: string): DatasetRef {
  return { namespace: `s3://${bucket}`, name: key.replace(/^\/+/, '') };
}

/** A table in a DuckDB file: namespace `duckdb://<absolute path>`, name `<schema>.<table>`. */
export function duckdbDataset(databaseFile: string, schema: string, table: string): DatasetRef {
  return { namespace: `duckdb://${resolve(databaseFile)}`, name: `${schema}.${table}` };
}

/** A DuckLake table: namespace `ducklake://<absolute path of the catalog>`, name `<schema>.<table>`. */
export function ducklakeDataset(catalogFile: string, schema: string, table: string): DatasetRef {
  return { namespace: `ducklake://${resolve(catalogFile)}`, name: `${schema}.${table}` };
}

/** Options for {@link lineageDataset}. */
export interface LineageDatasetOptions {
  /** The `_producer` of the facets. */
  producer: string;
  /** Its columns and types: the schema facet. */
  columns?: readonly SchemaField[];
  /** For a model's output: output column → input columns (see columnLineage). */
  columnLineage?: Record<string, ColumnLineageInputField[]>;
}

/**
 * A dataset with its facets: `dataSource` always (the namespace as name and URI, as the
 * dbt integration does), `schema` when the columns are known, `columnLineage` when given.
 *
 * @example
 * lineageDataset(duckdbDataset(paths.warehouse(5), 'main', 'fct_sales'), { producer, columns })
 */
export function lineageDataset(ref: DatasetRef, options: LineageDatasetOptions): Dataset {
  const base = { _producer: options.producer };
  const uri = ref.namespace === 'file' ? 'file:///' : encodeURI(ref.namespace);
  return {
    namespace: ref.namespace,
    name: ref.name,
    facets: {
      dataSource: { ...base, _schemaURL: facetSchemaUrls.dataSource, name: ref.namespace, uri },
      ...(options.columns
        ? {
            schema: {
              ...base,
              _schemaURL: facetSchemaUrls.schema,
              fields: options.columns.map((column) => ({ ...column })),
            },
          }
        : {}),
      ...(options.columnLineage && Object.keys(options.columnLineage).length > 0
        ? {
            columnLineage: {
              ...base,
              _schemaURL: facetSchemaUrls.columnLineage,
              fields: Object.fromEntries(
                Object.entries(options.columnLineage).map(([column, inputFields]) => [column, { inputFields }]),
              ),
            },
          }
        : {}),
    },
  };
}
