import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Creates `bucket` unless it exists. Resolves to true when it created it. Errors other
 * than "not found" (unreachable server, wrong keys) propagate: wrap the call in
 * `withS3Errors` for a readable message.
 *
 * @example
 * await ensureBucket(client, 'mart-lake'); // → true the first time, then false
 */
export async function ensureBucket(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!(error instanceof Error) || (error.name !== 'NotFound' && error.name !== 'NoSuchBucket')) throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    // Another process created it in between.
    if (error instanceof Error && error.name === 'BucketAlreadyOwnedByYou') return false;
    throw error;
  }
}
