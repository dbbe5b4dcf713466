import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { openObjectStore, type ObjectStore } from "@seniority/object-store";
import { S3RVER_CREDENTIALS, type S3Server } from "@seniority/testkit";

export const BUCKET = "rl-data";

/** An independent S3 client (not our object store) for arranging and checking objects. */
export class S3Fixture {
  readonly client: S3Client;
  private readonly stores: ObjectStore[] = [];

  constructor(private readonly server: S3Server) {
    this.client = server.client();
  }

  store(prefix: string): ObjectStore {
    const store = openObjectStore(`s3://${BUCKET}/${prefix}`, {
      s3: {
        endpoint: this.server.endpoint,
        forcePathStyle: true,
        region: "us-east-1",
        credentials: S3RVER_CREDENTIALS,
      },
    });
    this.stores.push(store);
    return store;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }

  async get(key: string): Promise<Buffer> {
    const output = await this.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await output.Body!.transformToByteArray());
  }

  async head(
    key: string,
  ): Promise<{ etag: string; metadata: Record<string, string>; modified: number } | undefined> {
    try {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return {
        etag: output.ETag ?? "",
        metadata: output.Metadata ?? {},
        modified: output.LastModified?.getTime() ?? 0,
      };
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return undefined;
      throw error;
    }
  }

  /** Key → "etag@lastModified" of everything under the prefix. */
  async snapshot(prefix: string): Promise<Record<string, string>> {
    const output = await this.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return Object.fromEntries(
      (output.Contents ?? []).map((o) => [o.Key!, `${o.ETag}@${o.LastModified?.getTime()}`]),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.stores.map((store) => store.close()));
    this.client.destroy();
  }
}
