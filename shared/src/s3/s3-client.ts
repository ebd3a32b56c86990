import { S3Client } from '@aws-sdk/client-s3';
import type { LakeConfig } from './lake-config.ts';

/** How long connecting to the endpoint may take before an attempt fails. */
export const s3ConnectionTimeoutMs = 3000;

/**
 * An S3 client for the lake. The settings matter for S3-compatible servers:
 * path-style URLs (`http://host:port/bucket/key`, no bucket subdomains), checksums only
 * where the API requires them (the SDK's default aws-chunked checksum trailers get
 * stored as part of the object by several servers), and few, short attempts so that an
 * unreachable endpoint fails in seconds instead of retrying for a minute.
 *
 * `endpoint` defaults to the configured one; pass the embedded server's address when
 * `config.embedded`. Creating a client also silences the SDK's warning that releases
 * after January 2027 will need Node 22 (the course supports Node 20.12+).
 *
 * @example
 * const client = createS3Client(config, server.endpoint);
 * await client.send(new ListBucketsCommand({}));
 * client.destroy();
 */
export function createS3Client(config: LakeConfig, endpoint: string | undefined = config.endpoint): S3Client {
  if (endpoint === undefined) {
    throw new Error('createS3Client: no endpoint. Start the embedded server and pass its endpoint.');
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    // NodeHttpHandler options (@smithy/node-http-handler is not a direct dependency):
    // fail a connection attempt after a few seconds, and a request whose socket stays
    // silent for 30 s (a server that accepts connections but never answers).
    requestHandler: { connectionTimeout: s3ConnectionTimeoutMs, socketTimeout: 30_000 },
  });
}
