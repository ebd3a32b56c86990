import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { CliError } from '../errors.ts';

/** Where the lake's objects live: an S3-compatible server, or the embedded one. */
export interface LakeConfig {
  /** `MART_S3_ENDPOINT`, e.g. `http://localhost:9000`. Unset: the embedded server. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** True when no endpoint is configured: each command starts its own s3rver. */
  embedded: boolean;
  /**
   * `MART_S3_CONCURRENCY`: how many GETs and PUTs may be in flight at once (1–64). Unset:
   * the stage's default (8).
   */
  transferConcurrency?: number;
}

/** The largest `MART_S3_CONCURRENCY` accepted: more requests at once only queue on the server. */
export const maxTransferConcurrency = 64;

/** The only key pair the embedded server (s3rver) knows. */
export const embeddedCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Reads the lake's S3 settings from `MART_S3_*` variables. A `.env` file in the
 * course folder (`root`) fills in the variables that are not set (a variable set to an empty
 * string counts as set, so `MART_S3_ENDPOINT= pnpm …` forces the embedded server).
 * `process.env` is never modified.
 *
 * Without `MART_S3_ENDPOINT` the lake uses the embedded server, which accepts only the
 * `S3RVER` / `S3RVER` key pair, so credential variables are ignored in that case. With
 * an endpoint, credentials default to that same pair (right for a standalone s3rver).
 *
 * @example
 * readLakeConfig({ MART_S3_ENDPOINT: 'http://localhost:9000', MART_S3_ACCESS_KEY_ID: 'minioadmin',
 *   MART_S3_SECRET_ACCESS_KEY: 'minioadmin' }, paths.root)
 * // → { endpoint: 'http://localhost:9000', region: 'us-east-1', bucket: 'mart-lake', embedded: false, … }
 */
export function readLakeConfig(env: NodeJS.ProcessEnv, root: string): LakeConfig {
  const fromFile = readDotEnv(join(root, '.env'));
  const value = (name: string): string | undefined => {
    const raw = (env[name] ?? fromFile[name])?.trim();
    return raw === '' ? undefined : raw;
  };
  const endpoint = value('MART_S3_ENDPOINT');
  const region = value('MART_S3_REGION') ?? 'us-east-1';
  const bucket = value('MART_S3_BUCKET') ?? 'mart-lake';
  checkBucketName(bucket);
  const concurrency = value('MART_S3_CONCURRENCY');
  // Only present when set, so a config without it reads as before.
  const transfers = concurrency === undefined ? {} : { transferConcurrency: checkConcurrency(concurrency) };
  if (endpoint === undefined) return { region, bucket, ...embeddedCredentials, embedded: true, ...transfers };
  return {
    endpoint: checkEndpoint(endpoint),
    region,
    bucket,
    accessKeyId: value('MART_S3_ACCESS_KEY_ID') ?? embeddedCredentials.accessKeyId,
    secretAccessKey: value('MART_S3_SECRET_ACCESS_KEY') ?? embeddedCredentials.secretAccessKey,
    embedded: false,
    ...transfers,
  };
}

function checkConcurrency(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > maxTransferConcurrency) {
    throw new CliError(
      `MART_S3_CONCURRENCY must be a whole number from 1 to ${maxTransferConcurrency}, not "${raw}".`,
      {
        hint: 'It is how many downloads and uploads run at once; unset it for the default (8).',
      },
    );
  }
  return value;
}

/**
 * One line safe to print: where the lake is, and which key, shortened. Never the secret.
 *
 * @example
 * describeLakeConfig(readLakeConfig({}))
 * // → 'embedded S3 server (s3rver on 127.0.0.1), bucket mart-lake, region us-east-1, access key S3RV…'
 */
export function describeLakeConfig(config: LakeConfig): string {
  const where = config.endpoint === undefined ? 'embedded S3 server (s3rver on 127.0.0.1)' : `S3 at ${config.endpoint}`;
  return `${where}, bucket ${config.bucket}, region ${config.region}, access key ${config.accessKeyId.slice(0, 4)}…`;
}

function readDotEnv(path: string): NodeJS.Dict<string> {
  if (!existsSync(path)) return {};
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'Fix or delete the .env file at the repository root.',
    });
  }
}

function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CliError(`MART_S3_ENDPOINT is not an http(s) URL: "${endpoint}".`, {
      hint: 'Use the server address, e.g. MART_S3_ENDPOINT=http://localhost:9000, or unset it for the embedded server.',
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliError('MART_S3_ENDPOINT must not contain a user name or password.', {
      hint: 'Put the keys in MART_S3_ACCESS_KEY_ID and MART_S3_SECRET_ACCESS_KEY instead.',
    });
  }
  return endpoint.replace(/\/+$/, '');
}

function checkBucketName(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new CliError(`MART_S3_BUCKET "${bucket}" is not a valid bucket name.`, {
      hint: 'Bucket names are 3 to 63 characters: lowercase letters, digits, dots and hyphens, e.g. mart-lake.',
    });
  }
}
