// OpenLineage's shapes (spec 2-0-2) and the constants stage 6's events use: what the
// lineage-event exercise builds, and what the orchestrator's emitter sends. The schema
// files behind these URLs are vendored, verbatim, in src/lineage/spec/ (see its README).

/** The JSON Schema every event follows: OpenLineage 2-0-2's RunEvent. */
export const openLineageSchemaUrl = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/**
 * The `_schemaURL` of each facet this course emits, keyed by the facet's key in the
 * event: the vendored schema file's `$id` plus `#/$defs/<FacetName>`. Each is the newest
 * version of that facet whose upstream file could be vendored verbatim (older than
 * the current ones for some: see src/lineage/spec/README.md).
 */
export const facetSchemaUrls = {
  /** run.facets.parent — the run this one belongs to. */
  parent: 'https://openlineage.io/spec/facets/1-0-0/ParentRunFacet.json#/$defs/ParentRunFacet',
  /** run.facets.errorMessage — why a run failed. */
  errorMessage: 'https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  /** job.facets.jobType — BATCH, which integration, ASSET or JOB. */
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  /** job.facets.sql — the compiled SQL a model ran. */
  sql: 'https://openlineage.io/spec/1-0-1/SQLJobFacet.json#/$defs/SQLJobFacet',
  /** dataset facets.schema — columns and types. */
  schema: 'https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  /** dataset facets.dataSource — the database, bucket or file system it lives in. */
  dataSource: 'https://openlineage.io/spec/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet',
  /** dataset facets.columnLineage — which input columns each output column comes from. */
  columnLineage:
    'https://openlineage.io/spec/facets/1-0-1/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  /** output dataset outputFacets.outputStatistics — rows written. */
  outputStatistics:
    'https://openlineage.io/spec/1-0-1/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
} as const;

/** The job namespace of every job this course emits (OPENLINEAGE_NAMESPACE's role). */
export const lineageNamespace = 'mini-data-mart';

/** The jobType facet's `integration`: which tool ran the job (SPARK, DBT, AIRFLOW… for others). */
export const lineageIntegration = 'MINI_DATA_MART';

/** The errorMessage facet's `programmingLanguage`. */
export const lineageProgrammingLanguage = 'TypeScript';

/** Every facet has these two: who wrote it, and which schema it follows. */
export interface BaseFacet {
  /** A URI naming the code that wrote the facet, e.g. the producer of the event. */
  _producer: string;
  /** The facet's schema: one of {@link facetSchemaUrls}. */
  _schemaURL: string;
}

/** A job by name: jobs are unique by namespace + name. */
export interface JobRef {
  namespace: string;
  name: string;
}

/** run.facets.parent: the run (and job) that started this one. */
export interface ParentRunFacet extends BaseFacet {
  run: { runId: string };
  job: JobRef;
}

/** run.facets.errorMessage. */
export interface ErrorMessageRunFacet extends BaseFacet {
  message: string;
  programmingLanguage: string;
  stackTrace?: string;
}

/** job.facets.jobType. */
export interface JobTypeJobFacet extends BaseFacet {
  /** BATCH: a finite job with a start and an end. */
  processingType: 'BATCH' | 'STREAMING' | 'SERVICE';
  integration: string;
  /** ASSET for one asset's materialization, JOB for the run around them. */
  jobType?: string;
}

/** job.facets.sql. */
export interface SqlJobFacet extends BaseFacet {
  query: string;
}

/** One column in a schema facet. */
export interface SchemaField {
  name: string;
  /** The column's type as the database spells it, e.g. `VARCHAR`, `DECIMAL(10,2)`. */
  type?: string;
  description?: string;
}

/** facets.schema of a dataset. */
export interface SchemaDatasetFacet extends BaseFacet {
  fields: SchemaField[];
}

/** facets.dataSource of a dataset. */
export interface DatasourceDatasetFacet extends BaseFacet {
  name?: string;
  uri?: string;
}

/** An input column an output column is computed from. */
export interface ColumnLineageInputField {
  namespace: string;
  name: string;
  field: string;
  /** How (facet 1-0-1: free text). This course writes IDENTITY, TRANSFORMATION or AGGREGATION. */
  transformation?: string;
}

/** facets.columnLineage of an output dataset: output column → the input columns it uses. */
export interface ColumnLineageDatasetFacet extends BaseFacet {
  fields: Record<string, { inputFields: ColumnLineageInputField[] }>;
}

/** outputFacets.outputStatistics of an output dataset. */
export interface OutputStatisticsOutputDatasetFacet extends BaseFacet {
  rowCount: number;
  size?: number;
}

/** The facets of a run (by key: parent, errorMessage …). */
export interface RunFacets {
  parent?: ParentRunFacet;
  errorMessage?: ErrorMessageRunFacet;
}

/** The facets of a job (by key: jobType, sql …). */
export interface JobFacets {
  jobType?: JobTypeJobFacet;
  sql?: SqlJobFacet;
}

/** The facets of a dataset (by key: schema, dataSource, columnLineage …). */
export interface DatasetFacets {
  schema?: SchemaDatasetFacet;
  dataSource?: DatasourceDatasetFacet;
  columnLineage?: ColumnLineageDatasetFacet;
}

/** The facets only an output dataset has (outputStatistics …). */
export interface OutputDatasetFacets {
  outputStatistics?: OutputStatisticsOutputDatasetFacet;
}

/**
 * A dataset, named per the OpenLineage naming spec: `namespace` is where it lives
 * (`file`, `s3://bucket`, `duckdb:///abs/path/stage-05.duckdb`), `name` what it is
 * there (a path, an object key, `schema.table`).
 */
export interface Dataset {
  namespace: string;
  name: string;
  facets?: DatasetFacets;
}

/** A dataset a job read. */
export interface InputDataset extends Dataset {
  inputFacets?: Record<string, BaseFacet>;
}

/** A dataset a job wrote. */
export interface OutputDataset extends Dataset {
  outputFacets?: OutputDatasetFacets;
}

/** What happened to a run: START, then one of COMPLETE, FAIL or ABORT (RUNNING, OTHER in between). */
export type RunEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

/** One OpenLineage run event (spec 2-0-2). */
export interface RunEvent {
  eventType: RunEventType;
  /** ISO-8601 with a time zone, e.g. `2026-12-02T10:00:00.000Z`. */
  eventTime: string;
  /** A URI naming the code that emitted the event. */
  producer: string;
  /** {@link openLineageSchemaUrl}. */
  schemaURL: string;
  run: { runId: string; facets?: RunFacets };
  job: JobRef & { facets?: JobFacets };
  inputs: InputDataset[];
  outputs: OutputDataset[];
}

/** Options of the lineage-event exercise: one asset step, as the orchestrator saw it. */
export interface AssetLineageEventOptions {
  /** The step's status in the run storage: it STARTED, or it ended (SUCCESS, FAILURE, CANCELED). */
  status: 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELED';
  /** When, ISO-8601 in UTC. */
  eventTime: string;
  /** The asset step's own run id (a UUID; the same for its START and its end). */
  runId: string;
  /** The asset's job: namespace {@link lineageNamespace}, name the asset key. */
  job: JobRef;
  /** The orchestrator's run this step belongs to, and its job. */
  parent: { runId: string; job: JobRef };
  /** What it read, with their dataset facets (schema, dataSource) already built. */
  inputs: readonly Dataset[];
  /** What it wrote, with their dataset facets (schema, dataSource, columnLineage). */
  outputs: readonly Dataset[];
  /** The compiled SQL, for a stage 5 model. */
  sql?: string;
  /** Rows written, known when the step succeeded. */
  rowCount?: number;
  /** Why it failed. */
  errorMessage?: string;
  /** A URI naming the code emitting the event. */
  producer: string;
}

// The checker every event passes (the graded tests use it too): OpenLineage 2-0-2 and
// the vendored facet schemas.
export { type LineageValidation, validateLineageEvent } from '../lineage/validator.ts';
