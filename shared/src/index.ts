// @mart/shared: infrastructure every stage uses. No lesson logic lives here.
export {
  type Command,
  type CommandContext,
  type CommandSpec,
  type CommandTable,
  defineCommand,
  type OptionSpec,
  type OptionSpecs,
  type OptionValues,
} from './cli/command.ts';
export { type Io, processIo, useColor, writeLine, writeNote } from './cli/io.ts';
export { optionDefaults, positiveInteger } from './cli/parse-command-line.ts';
export { type ReportOptions, reportError, runMain } from './cli/run-main.ts';
export { type LoadPiecesOptions, learnerFrame, loadPieces } from './course/load-pieces.ts';
export { MineScope } from './course/mine-scope.ts';
export { type RunEnvironment, runCommand } from './course/run-command.ts';
export type { StageDefinition } from './course/stage-definition.ts';
export { buildAtomically, buildAttachedAtomically, publishDatabase } from './duckdb/atomic-build.ts';
export { Database, type OpenOptions, type Params, type Row, withDatabase } from './duckdb/database.ts';
export { type ColumnInfo, describeTables, type TableInfo } from './duckdb/describe-tables.ts';
export { type InsertValue, insertRows } from './duckdb/insert-rows.ts';
export { isMissingRelation } from './duckdb/missing-relation.ts';
export { openWarehouse } from './duckdb/open-warehouse.ts';
export { integerLiteral, quoteIdentifier, quoteLiteral, quoteQualified } from './duckdb/quote.ts';
export { SqlError } from './duckdb/sql-error.ts';
export { valuesList } from './duckdb/values-list.ts';
export { CliError, ExerciseError, InputFileError, NotImplementedError, UsageError } from './errors.ts';
export {
  type CustomerRecord,
  type DailyBatch,
  type DailyBatchOptions,
  type DailyDimensions,
  dailyBatch,
  salesHeader,
} from './generator/daily-batch.ts';
export { type GeneratedFiles, type GenerateOptions, generateDataset } from './generator/generate-dataset.ts';
export { type Random, seededRandom } from './generator/random.ts';
export { MartPaths, type MartPathsOptions, martPathsFromEnv, repoRoot, twoDigits } from './paths.ts';
export { answerOrUndefined } from './prompts/cancel.ts';
export { type Bar, type BarChartOptions, renderBarChart } from './render/bar-chart.ts';
export { countOf, formatRows, type OutputFormat, outputFormats, toCsv } from './render/format-rows.ts';
export { formatCell, type RenderTableOptions, renderTable } from './render/table.ts';
export { type EmbeddedS3, type EmbeddedS3Options, startEmbeddedS3 } from './s3/embedded-s3.ts';
export { ensureBucket } from './s3/ensure-bucket.ts';
export { explainS3Error, type S3ErrorContext, withS3Errors } from './s3/explain-s3-error.ts';
export { describeLakeConfig, embeddedCredentials, type LakeConfig, readLakeConfig } from './s3/lake-config.ts';
export {
  type BucketAccess,
  deleteObjects,
  getBytes,
  getToFile,
  objectExists,
  putBytes,
} from './s3/objects.ts';
export { type LakeStorage, openLakeStorage } from './s3/open-lake-storage.ts';
export { retryConnectionLoss } from './s3/retry-connection-loss.ts';
export { createS3Client, s3ConnectionTimeoutMs } from './s3/s3-client.ts';
