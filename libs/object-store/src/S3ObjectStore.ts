import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { abortError } from "./abortError.js";
import { abortStaleUploads, httpStatus } from "./abortStaleUploads.js";
import { checkKey } from "./checkKey.js";
import { checkMetadata } from "./checkMetadata.js";
import { createS3Client, type S3Options } from "./createS3Client.js";
import { ObjectNotFoundError } from "./ObjectNotFoundError.js";
import type { ListedObject, ObjectInfo, ObjectMetadata, ObjectStore } from "./ObjectStore.js";
import { uploadToS3 } from "./uploadToS3.js";

/** Default multipart part size: 8 MiB (S3's minimum is 5 MiB; 10,000 parts → files up to ~78 GiB). */
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;
/** Default parts uploaded at once; memory is about queueSize × partSize per put. */
export const DEFAULT_UPLOAD_QUEUE_SIZE = 3;

export interface S3ObjectStoreOptions extends S3Options {
  bucket: string;
  /** Key prefix ("" or ending in "/"; one is appended when missing). */
  prefix?: string;
  /** A client to use instead of building one from the options; the store does not destroy it. */
  client?: S3Client;
  partSizeBytes?: number;
  queueSize?: number;
  /** Keys per ListObjectsV2 page (S3's maximum and default: 1000). */
  listPageSize?: number;
  /** Abort incomplete multipart uploads of a key before putting it (see abortStaleUploads). Default true. */
  abortStaleUploads?: boolean;
}

/**
 * An object store over `s3://bucket/prefix/`. Keys are relative to the prefix; ETags are returned
 * without their quotes. A put streams with lib-storage (multipart above one part) and is atomic:
 * S3 shows the object only when the upload completes.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number | undefined;
  private readonly cleanStale: boolean;
  private closed = false;

  constructor(options: S3ObjectStoreOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket))
      throw new Error(`invalid S3 bucket name "${options.bucket}"`);
    const prefix = options.prefix ?? "";
    this.bucket = options.bucket;
    this.prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? createS3Client(options);
    this.partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    this.queueSize = options.queueSize ?? DEFAULT_UPLOAD_QUEUE_SIZE;
    this.listPageSize = options.listPageSize;
    this.cleanStale = options.abortStaleUploads ?? true;
  }

  async *list(options: { startAfter?: string; signal?: AbortSignal } = {}): AsyncIterable<ListedObject> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          MaxKeys: this.listPageSize,
          // StartAfter matters on the first page only; the token carries the position after that.
          StartAfter:
            continuationToken === undefined && options.startAfter !== undefined
              ? this.prefix + options.startAfter
              : undefined,
          ContinuationToken: continuationToken,
        }),
        { abortSignal: options.signal },
      );
      for (const item of page.Contents ?? []) {
        // Keys ending in "/" are "folder" markers made by consoles, not objects.
        if (item.Key === undefined || item.Key.endsWith("/")) continue;
        yield { key: item.Key.slice(this.prefix.length), size: item.Size ?? 0, etag: unquote(item.ETag) };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
    checkKey(key);
    try {
      const output = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
        { abortSignal: signal },
      );
      return {
        key,
        size: output.ContentLength ?? 0,
        etag: unquote(output.ETag),
        metadata: { ...output.Metadata },
      };
    } catch (error) {
      if (httpStatus(error) === 404 || (error as { name?: string }).name === "NotFound") return undefined;
      throw error;
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    checkKey(key);
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
        { abortSignal: signal },
      );
      if (!(output.Body instanceof Readable))
        throw new Error(`GetObject ${this.location}${key}: body is not a Node stream`);
      return output.Body;
    } catch (error) {
      if (httpStatus(error) === 404 || (error as { name?: string }).name === "NoSuchKey")
        throw new ObjectNotFoundError(this.location, key);
      throw error;
    }
  }

  async put(key: string, body: Readable, metadata: ObjectMetadata, signal?: AbortSignal): Promise<void> {
    checkKey(key);
    checkMetadata(metadata);
    signal?.throwIfAborted();
    const fullKey = this.prefix + key;
    if (this.cleanStale) {
      await abortStaleUploads(this.client, this.bucket, fullKey, signal).catch((error: unknown) => {
        throw signal?.aborted ? abortError(signal) : error;
      });
    }
    await uploadToS3({
      client: this.client,
      bucket: this.bucket,
      key: fullKey,
      body,
      metadata,
      partSize: this.partSize,
      queueSize: this.queueSize,
      ...(signal ? { signal } : {}),
    });
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    checkKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), {
      abortSignal: signal,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }
}

/** S3 ETags arrive quoted ("\"9b2cf535f27731c974343645a3985328\""); the store hands them out bare. */
function unquote(etag: string | undefined): string {
  return (etag ?? "").replace(/^"|"$/g, "");
}
