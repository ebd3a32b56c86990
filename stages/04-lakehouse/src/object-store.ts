/**
 * Where a lake's files live, seen as keys: an S3 bucket (the default, through the AWS
 * SDK) or, for a pulled copy, a local folder. The DuckLake writer and reader only use
 * these four operations.
 */
export interface ObjectStore {
  /** Human-readable location for messages, e.g. `s3://mart-lake`. */
  readonly description: string;
  /** `s3://mart-lake/` or `file:///…/`: what a key is appended to in a data_path. */
  readonly urlPrefix: string;
  put(key: string, localPath: string): Promise<void>;
  get(key: string, localPath: string): Promise<void>;
  list(prefix: string): Promise<{ key: string; size: number }[]>;
  delete(keys: readonly string[]): Promise<void>;
}
