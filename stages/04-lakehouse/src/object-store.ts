/**
 * Where a lake's files live, seen as keys: an S3 bucket (the default, through the AWS
 * SDK) or, for a pulled copy, a local folder. The DuckLake writer and reader only use
 * these operations.
 */
export interface ObjectStore {
  /** Human-readable location for messages, e.g. `s3://mart-lake`. */
  readonly description: string;
  /** `s3://mart-lake/` or `file:///…/`: what a key is appended to in a data_path. */
  readonly urlPrefix: string;
  put(key: string, localPath: string): Promise<void>;
  /** The whole object to `localPath`, written to a temporary file and renamed (never half a file there). */
  get(key: string, localPath: string): Promise<void>;
  /**
   * Bytes `start` up to (not including) `end` of the object: an S3 ranged GET. Throws
   * when fewer bytes arrive than asked for.
   */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
  list(prefix: string): Promise<{ key: string; size: number }[]>;
  delete(keys: readonly string[]): Promise<void>;
}
