import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { abortError } from "./abortError.js";
import { abortUpload } from "./abortStaleUploads.js";
import type { ObjectMetadata } from "./ObjectStore.js";

export interface UploadRequest {
  client: S3Client;
  bucket: string;
  key: string;
  body: Readable;
  metadata: ObjectMetadata;
  /** Bytes a part; S3 needs ≥ 5 MiB. Memory: up to queueSize × partSize bytes buffered. */
  partSize: number;
  /** Parts uploaded in parallel. */
  queueSize: number;
  signal?: AbortSignal;
}

/**
 *
 * Streams `body` to S3 with lib-storage's Upload (one PutObject for a body under one part,
 * multipart otherwise) and guarantees that when this rejects, no object was made visible and no
 * multipart upload is left. lib-storage's own abort() rejects at once while its parts are still in
 * flight, so requests go through a wrapper of the client that records them: after a failure we wait
 * for every request to settle and abort every multipart upload it created (a second abort of one is
 * a harmless 404). An abort that comes after the final PutObject/CompleteMultipartUpload was sent
 * may lose the race: the object is then complete and this resolves.
 */
export async function uploadToS3(request: UploadRequest): Promise<void> {
  const { client, bucket, key, body, signal } = request;
  const tracker = new RequestTracker(client);
  const upload = new Upload({
    client: tracker.client,
    params: { Bucket: bucket, Key: key, Body: body, Metadata: request.metadata },
    partSize: request.partSize,
    queueSize: request.queueSize,
    leavePartsOnError: false,
  });
  const onAbort = (): void => {
    // Stops reading the body (parts waiting on it fail) and stops lib-storage starting anything new.
    body.destroy(abortError(signal));
    void upload.abort();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal?.aborted) throw abortError(signal);
    await upload.done();
  } catch (error) {
    await tracker.settle();
    if (tracker.completed) return;
    await Promise.all([...tracker.uploadIds].map((id) => abortUpload(client, bucket, key, id)));
    throw signal?.aborted ? abortError(signal) : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Records the requests lib-storage sends through `client`: in flight, multipart ids, completion. */
class RequestTracker {
  readonly client: S3Client;
  readonly uploadIds = new Set<string>();
  completed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(real: S3Client) {
    // An object inheriting config and middleware from the real client, with send() observed.
    // lib-storage calls only client.send and reads client.config.
    this.client = Object.create(real) as S3Client;
    const send = (command: unknown): Promise<unknown> => {
      const sent = (real.send as (c: unknown) => Promise<unknown>).call(real, command);
      this.inFlight.add(sent);
      sent.then(
        (output) => this.record(command, output),
        () => undefined,
      );
      void sent.finally(() => this.inFlight.delete(sent)).catch(() => undefined);
      return sent;
    };
    Object.defineProperty(this.client, "send", { value: send });
  }

  /** Resolves once nothing is in flight, including requests started by promise callbacks meanwhile. */
  async settle(): Promise<void> {
    do {
      await nextTurn();
      await Promise.allSettled([...this.inFlight]);
    } while (this.inFlight.size > 0);
  }

  private record(command: unknown, output: unknown): void {
    if (command instanceof CreateMultipartUploadCommand) {
      const id = (output as { UploadId?: string }).UploadId;
      if (id !== undefined) this.uploadIds.add(id);
    } else if (command instanceof PutObjectCommand || command instanceof CompleteMultipartUploadCommand) {
      this.completed = true;
    }
  }
}
