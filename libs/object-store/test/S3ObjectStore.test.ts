import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Server, S3RVER_CREDENTIALS } from "@seniority/testkit";
import { openObjectStore } from "../src/openObjectStore.js";
import { S3ObjectStore } from "../src/S3ObjectStore.js";
import { describeObjectStoreContract, MiB, patternBytes, readAll } from "./objectStoreContract.js";

const BUCKET = "rl-data";
let server: S3Server;
let raw: S3Client;
let nextPrefix = 0;

beforeAll(async () => {
  server = await S3Server.start([BUCKET]);
  raw = server.client();
});
afterAll(async () => {
  raw?.destroy();
  await server?.close();
});

function storeOptions(prefix: string) {
  return {
    bucket: BUCKET,
    prefix,
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: S3RVER_CREDENTIALS,
    partSizeBytes: 5 * MiB, // S3's minimum, so 20 MiB is four parts
  };
}

async function incompleteUploads(prefix: string): Promise<string[]> {
  const page = await raw.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Uploads ?? []).map((upload) => (upload.Key ?? "").slice(prefix.length)).sort();
}

describeObjectStoreContract("S3ObjectStore on s3rver", async () => {
  const prefix = `contract-${nextPrefix++}/`;
  const store = new S3ObjectStore(storeOptions(prefix));
  return {
    store,
    incompleteWrites: () => incompleteUploads(prefix),
    leaveIncompleteWrite: async (key) => {
      const created = await raw.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: prefix + key }));
      await raw.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: prefix + key,
          UploadId: created.UploadId,
          PartNumber: 1,
          Body: "part",
        }),
      );
    },
    close: async () => {
      await store.close();
      await store.close();
    },
  };
});

describe("S3ObjectStore specifics", () => {
  // Page size 3 exercises the same IsTruncated/continuation path as S3's 1000-key pages, without
  // writing 1000+ objects (≈5 s on s3rver).
  it("follows every list page, resuming after startAfter (page size 3)", async () => {
    const store = new S3ObjectStore({ ...storeOptions("paged/"), listPageSize: 3 });
    const names = Array.from({ length: 10 }, (_, i) => `${1721183900 + i * 60}.jsonl`);
    for (const name of names) await store.put(name, Readable.from([Buffer.from(name)]), {});
    const all = [];
    for await (const item of store.list()) all.push(item.key);
    expect(all).toEqual(names);
    const after = [];
    for await (const item of store.list({ startAfter: names[3]! })) after.push(item.key);
    expect(after).toEqual(names.slice(4));
    await store.close();
  });

  it("uploads a body over one part as multipart, one under as a single PutObject", async () => {
    const client = server.client();
    const sent: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(context.commandName ?? "?");
        return next(args);
      },
      { step: "initialize" },
    );
    const store = new S3ObjectStore({ ...storeOptions("mp/"), client, abortStaleUploads: false });
    await store.put("big.jsonl", Readable.from(patternBytes(11 * MiB)), {});
    expect(sent).toEqual([
      "CreateMultipartUploadCommand",
      "UploadPartCommand",
      "UploadPartCommand",
      "UploadPartCommand",
      "CompleteMultipartUploadCommand",
    ]);
    sent.length = 0;
    await store.put("small.jsonl", Readable.from(patternBytes(MiB)), {});
    expect(sent).toEqual(["PutObjectCommand"]);
    await store.close();
    client.destroy(); // the store does not destroy a client it was given
  });

  it("a put's stale-upload check is one listing bounded to the key itself, however many objects exist", async () => {
    const client = server.client();
    const sent: [string, unknown][] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push([context.commandName ?? "?", (args.input as { Prefix?: string }).Prefix]);
        return next(args);
      },
      { step: "initialize" },
    );
    const store = new S3ObjectStore({ ...storeOptions("audit/"), client });
    for (let i = 0; i < 30; i++) await store.put(`${i}.jsonl`, Readable.from([Buffer.from("x")]), {});
    sent.length = 0;
    await store.put("31.jsonl", Readable.from([Buffer.from("y")]), {});
    expect(sent).toEqual([
      ["ListMultipartUploadsCommand", "audit/31.jsonl"],
      ["PutObjectCommand", undefined],
    ]);
    await store.close();
    client.destroy();
  });

  it("reaches the server through AWS_ENDPOINT_URL_S3 and the s3:// location alone", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, server.env);
    try {
      const store = openObjectStore(`s3://${BUCKET}/env-test`, { s3: { forcePathStyle: true } });
      expect(store.location).toBe(`s3://${BUCKET}/env-test/`);
      await store.put("a.jsonl", Readable.from([Buffer.from("via env\n")]), { k: "v" });
      expect((await readAll(await store.get("a.jsonl"))).toString()).toBe("via env\n");
      expect((await store.head("a.jsonl"))?.metadata).toEqual({ k: "v" });
      await store.close();
    } finally {
      process.env = saved;
    }
  });
});
