/// <reference path="./s3rver.d.ts" />
import type S3rver from 's3rver';

/**
 * Koa middleware that makes s3rver's ListObjectsV2 paginate. s3rver 3.7 encrypts its
 * continuation tokens with DES, which OpenSSL 3 (Node 17+) refuses, so every truncated
 * V2 listing (more than `max-keys`, at most 1000, keys) fails with a 500 InternalError.
 * The shim turns a V2 request into a V1 one (`start-after` or our token → `marker`),
 * lets s3rver answer it, then reshapes the answer as V2 with a plain token: the last
 * key, base64url-encoded. Clients (the AWS SDK, DuckDB) just echo the token back.
 *
 * Install it right before s3rver's router so that s3rver still checks the access key.
 *
 * @example
 * server.middleware.splice(server.middleware.length - 1, 0, listObjectsV2Shim);
 */
export const listObjectsV2Shim: S3rver.Middleware = async (ctx, next) => {
  const { 'list-type': listType, 'continuation-token': token, 'start-after': startAfter, ...rest } = ctx.query;
  if (ctx.method !== 'GET' || listType !== '2') return next();
  const { 'fetch-owner': fetchOwner, ...v1Query } = rest;
  const marker = typeof token === 'string' && token !== '' ? decodeToken(token) : single(startAfter);
  if (typeof token === 'string' && token !== '' && marker === undefined) {
    ctx.status = 400;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>The continuation token provided is incorrect</Message></Error>';
    return;
  }
  ctx.query = marker === undefined ? v1Query : { ...v1Query, marker };
  await next();

  const result = field(ctx.body, 'ListBucketResult');
  if (!isRecord(result)) return;
  const contents = asArray(result.Contents);
  const prefixes = asArray(result.CommonPrefixes);
  if (fetchOwner !== 'true') for (const item of contents) if (isRecord(item)) delete item.Owner;
  const lastKey = field(contents.at(-1), 'Key');
  const lastPrefix = field(prefixes.at(-1), 'Prefix');
  // After a common prefix, skip everything under it (U+FFFF sorts after any key character).
  const afterPrefix = single(lastPrefix) === undefined ? undefined : `${single(lastPrefix)}\uffff`;
  const resumeAfter = maxKey(single(result.NextMarker) ?? single(lastKey), afterPrefix);
  ctx.body = {
    ListBucketResult: {
      '@': result['@'],
      Name: result.Name,
      Prefix: result.Prefix,
      StartAfter: typeof token === 'string' && token !== '' ? undefined : single(startAfter),
      ContinuationToken: typeof token === 'string' && token !== '' ? token : undefined,
      NextContinuationToken:
        result.IsTruncated === true && resumeAfter !== undefined ? encodeToken(resumeAfter) : undefined,
      KeyCount: contents.length + prefixes.length,
      MaxKeys: result.MaxKeys,
      Delimiter: result.Delimiter,
      IsTruncated: result.IsTruncated,
      Contents: contents,
      CommonPrefixes: prefixes,
    },
  };
};

const tokenPrefix = 'mart:';

function encodeToken(key: string): string {
  return Buffer.from(tokenPrefix + key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith(tokenPrefix) && encodeToken(text.slice(tokenPrefix.length)) === token
    ? text.slice(tokenPrefix.length)
    : undefined;
}

function maxKey(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
