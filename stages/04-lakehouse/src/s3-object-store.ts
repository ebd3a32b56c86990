import { deleteObjects, getToFile, type LakeStorage, withS3Errors } from '@mart/shared';
import type { ObjectStore } from './object-store.ts';
import type { LakePieces } from './pieces.ts';

/**
 * The lake's bucket as an ObjectStore. Uploads and listings go through the exercise
 * pieces (uploadFile, listKeys: yours with --mine); downloads and deletes through the
 * shared helpers. Every S3 failure becomes a message that says what to check.
 */
export function s3ObjectStore(storage: LakeStorage, pieces: LakePieces): ObjectStore {
  const context = { endpoint: storage.endpoint, bucket: storage.bucket, embedded: storage.embedded };
  return {
    description: `s3://${storage.bucket} at ${storage.endpoint}`,
    urlPrefix: `s3://${storage.bucket}/`,
    put: (key, localPath) =>
      withS3Errors(context, () => pieces.uploadFile(storage.client, storage.bucket, key, localPath), key),
    get: (key, localPath) => getToFile(storage, key, localPath),
    list: (prefix) => withS3Errors(context, () => pieces.listKeys(storage.client, storage.bucket, prefix)),
    delete: async (keys) => {
      await deleteObjects(storage, keys);
    },
  };
}
