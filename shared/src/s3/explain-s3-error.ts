import { CliError } from '../errors.ts';

/** What an S3 error message names: the server, the bucket, and optionally the key used. */
export interface S3ErrorContext {
  /** The server's address; undefined only for an embedded config whose server is not started. */
  endpoint?: string;
  bucket: string;
  embedded: boolean;
  /** Shown shortened (first 4 characters) in credential errors. Never pass the secret. */
  accessKeyId?: string;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const credentialCodes = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'InvalidToken',
  'ExpiredToken',
]);
const regionCodes = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/**
 * Turns an AWS SDK or network error into a `CliError` that says what to check (exit 1,
 * no stack trace), or returns undefined for anything else (a bug keeps its trace). The
 * messages name the endpoint, bucket and key, never the secret key.
 *
 * `key`: the object a request was about. A bare 404 (HEAD requests have no error body)
 * then means a missing object; without it, a missing bucket.
 *
 * @example
 * try { await client.send(new HeadBucketCommand({ Bucket: 'mart-lake' })); }
 * catch (error) { throw explainS3Error(error, config) ?? error; }
 * // → CliError: Cannot reach the S3 server at http://localhost:9000 (ECONNREFUSED).
 */
export function explainS3Error(error: unknown, context: S3ErrorContext, key?: string): CliError | undefined {
  if (error instanceof CliError) return undefined;
  const where = context.embedded
    ? `the embedded S3 server${at(context.endpoint)}`
    : `the S3 server${at(context.endpoint)}`;

  const network = networkProblem(error);
  if (network !== undefined) {
    return new CliError(`Cannot reach ${where} (${network}).`, {
      hint: context.embedded
        ? 'The embedded server stopped answering; run the command again.'
        : 'Is the server running? Unset MART_S3_ENDPOINT to use the embedded server, or start MinIO with `docker compose up -d`.',
      cause: error,
    });
  }

  const status = httpStatus(error);
  if (status === undefined) return undefined;
  const code = errorCode(error);
  const detail = code === undefined ? `HTTP ${status}` : code;

  const bare404 = status === 404 && (code === undefined || code === 'NotFound');
  if (code === 'NoSuchBucket' || (bare404 && key === undefined)) {
    return new CliError(`The bucket "${context.bucket}" does not exist on ${where}.`, {
      hint: context.embedded
        ? 'Run the command again: the embedded server creates its bucket on start.'
        : `Create it on the server (MinIO console, \`mc mb <alias>/${context.bucket}\`, or \`aws s3 mb s3://${context.bucket} --endpoint-url ${context.endpoint ?? '…'}\`), or set MART_S3_BUCKET to an existing bucket.`,
      cause: error,
    });
  }
  if (code === 'NoSuchKey' || bare404) {
    const object = `s3://${context.bucket}/${key ?? stringField(error, 'Key') ?? '…'}`;
    return new CliError(`${object} does not exist on ${where}.`, {
      hint: 'The lake may be incomplete or in another bucket: check MART_S3_BUCKET, and list the keys that exist.',
      cause: error,
    });
  }
  if (code !== undefined && regionCodes.has(code)) {
    return new CliError(`${capitalized(where)} rejected the request for bucket "${context.bucket}" (${code}).`, {
      hint: 'The bucket is probably in another region: check MART_S3_REGION (default us-east-1).',
      cause: error,
    });
  }
  if ((code !== undefined && credentialCodes.has(code)) || status === 401 || status === 403) {
    const keyShown = context.accessKeyId === undefined ? '' : ` for access key ${context.accessKeyId.slice(0, 4)}…`;
    return new CliError(`${capitalized(where)} refused the credentials${keyShown} (${detail}).`, {
      hint: `Check MART_S3_ACCESS_KEY_ID / MART_S3_SECRET_ACCESS_KEY (environment or .env), and that the key may use bucket "${context.bucket}".`,
      cause: error,
    });
  }
  const message = error instanceof Error && error.message !== 'UnknownError' ? `: ${error.message}` : '';
  return new CliError(`${capitalized(where)} answered ${detail}${message}`, {
    hint: status >= 500 ? 'The server had a problem; try again, or look at its logs.' : undefined,
    cause: error,
  });
}

/**
 * Runs S3 work and rethrows what `explainS3Error` recognizes as a `CliError`.
 *
 * @example
 * await withS3Errors(storage, () => storage.client.send(new HeadBucketCommand({ Bucket: storage.bucket })));
 */
export async function withS3Errors<T>(context: S3ErrorContext, work: () => Promise<T>, key?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainS3Error(error, context, key) ?? error;
  }
}

function at(endpoint: string | undefined): string {
  return endpoint === undefined ? '' : ` at ${endpoint}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `ECONNREFUSED`, `TimeoutError`…, looking into AggregateError (happy eyeballs) and causes. */
/** The network error code inside an SDK error (its causes followed), or 'timed out'; undefined if none. */
export function networkProblem(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const code = stringField(error, 'code');
  if (code !== undefined && networkCodes.has(code)) return code;
  if (stringField(error, 'name') === 'TimeoutError') return 'timed out';
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = networkProblem(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return 'cause' in error ? networkProblem(error.cause, depth + 1) : undefined;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** The S3 error code: `Code` from the XML body, else the SDK's error name when meaningful. */
function errorCode(error: unknown): string | undefined {
  const code = stringField(error, 'Code');
  if (code !== undefined) return code;
  const name = stringField(error, 'name');
  return name === undefined || name === 'Unknown' || name === 'Error' || name === 'S3ServiceException'
    ? undefined
    : name;
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) return undefined;
  const found: unknown = (value as Record<string, unknown>)[field];
  return typeof found === 'string' ? found : undefined;
}
