import { createReadStream, statSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CliError, deleteObjects, getToFile, type LakeStorage, retryConnectionLoss, withS3Errors } from '@mart/shared';
import type { ObjectStore } from './object-store.ts';
import type { LakePieces } from './pieces.ts';
import { defaultTransferConcurrency, transferLimit } from './transfer-limit.ts';

/** Options for {@link s3ObjectStore}; the defaults suit every lake command. */
export interface S3ObjectStoreOptions {
  /** GETs and PUTs in flight at once. Default: the config's MART_S3_CONCURRENCY, else 8. */
  concurrency?: number;
  /** Files of at least this many bytes go up as a multipart upload. Default 64 MiB. */
  multipartThresholdBytes?: number;
  /** The size of each part of a multipart upload (S3's minimum is 5 MiB). Default 16 MiB. */
  partSizeBytes?: number;
}

const mib = 1024 * 1024;

/**
 * The lake's bucket as an ObjectStore. Uploads and listings go through the exercise
 * pieces (uploadFile, listKeys: yours with --mine); downloads and deletes through the
 * shared helpers. Every S3 failure becomes a message that says what to check.
 *
 * At most `concurrency` GETs and PUTs are in flight at once, however many callers start:
 * the reader and the writer start them all and let the store hold the rest back. A file
 * of `multipartThresholdBytes` or more is uploaded in parts (lib-storage's Upload, parts
 * in parallel, aborted on failure so nothing half-written stays in the bucket); smaller
 * ones, every file a seed build writes, through the uploadFile piece.
 *
 * @example
 * const store = s3ObjectStore(storage, pieces);
 * await Promise.all(files.map((file) => store.put(keyOf(file), file))); // 8 at a time
 */
export function s3ObjectStore(
  storage: LakeStorage,
  pieces: LakePieces,
  options: S3ObjectStoreOptions = {},
): ObjectStore {
  const context = { endpoint: storage.endpoint, bucket: storage.bucket, embedded: storage.embedded };
  const limited = transferLimit(
    options.concurrency ?? storage.config.transferConcurrency ?? defaultTransferConcurrency,
  );
  const multipartThreshold = options.multipartThresholdBytes ?? 64 * mib;
  const partSize = options.partSizeBytes ?? 16 * mib;
  return {
    description: `s3://${storage.bucket} at ${storage.endpoint}`,
    urlPrefix: `s3://${storage.bucket}/`,
    put: (key, localPath) =>
      limited(() =>
        withS3Errors(
          context,
          // A streamed body is not retried by the SDK: a dropped connection is, here.
          () =>
            retryConnectionLoss(async () => {
              if (statSync(localPath).size < multipartThreshold) {
                await pieces.uploadFile(storage.client, storage.bucket, key, localPath);
                return;
              }
              // The client computes checksums only WHEN_REQUIRED (see createS3Client), for
              // the parts too: the same bytes arrive as with PutObject.
              const upload = new Upload({
                client: storage.client,
                params: { Bucket: storage.bucket, Key: key, Body: createReadStream(localPath) },
                partSize,
                queueSize: 4,
                leavePartsOnError: false,
              });
              await upload.done();
            }),
          key,
        ),
      ),
    get: (key, localPath) => limited(() => retryConnectionLoss(() => getToFile(storage, key, localPath))),
    getRange: (key, start, end) =>
      limited(() =>
        withS3Errors(
          context,
          () =>
            retryConnectionLoss(async () => {
              const response = await storage.client.send(
                new GetObjectCommand({ Bucket: storage.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
              );
              const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
              if (bytes.length !== end - start) {
                throw new CliError(
                  `Download of bytes ${start}–${end} of s3://${storage.bucket}/${key} stopped early: ${bytes.length} of ${end - start} bytes.`,
                  { hint: 'Run the command again.' },
                );
              }
              return bytes;
            }),
          key,
        ),
      ),
    list: (prefix) =>
      limited(() => withS3Errors(context, () => pieces.listKeys(storage.client, storage.bucket, prefix))),
    delete: async (keys) => {
      await limited(() => deleteObjects(storage, keys));
    },
  };
}
