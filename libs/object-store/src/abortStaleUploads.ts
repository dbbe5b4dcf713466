import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 *
 * Aborts every incomplete multipart upload of exactly `key` (left by a writer that was killed
 * mid-upload), so a rerun leaves none behind. Assumes one writer per key at a time. A server that
 * does not implement the listing (501) is skipped.
 */
export async function abortStaleUploads(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<number> {
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    let page;
    try {
      page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: key,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (isNotImplemented(error)) return aborted;
      throw error;
    }
    for (const upload of page.Uploads ?? []) {
      if (upload.Key !== key || upload.UploadId === undefined) continue;
      await abortUpload(client, bucket, key, upload.UploadId);
      aborted += 1;
    }
    if (!page.IsTruncated) return aborted;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/** Aborts one multipart upload; one that is already gone (404 NoSuchUpload) counts as aborted. */
export async function abortUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isNotImplemented(error: unknown): boolean {
  return httpStatus(error) === 501 || (error as { name?: string } | undefined)?.name === "NotImplemented";
}
