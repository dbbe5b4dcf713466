import { Redis } from "ioredis";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisServer, S3Server, startAll } from "@seniority/testkit";

describe("test harness", () => {
  let redis: RedisServer;
  let s3: S3Server;
  beforeAll(async () => {
    [redis, s3] = await startAll(RedisServer.start(), S3Server.start(["harness"]));
  });
  afterAll(async () => {
    await Promise.all([redis?.close(), s3?.close()]);
  });

  it("starts a real redis-server that survives a kill and restart", async () => {
    const client = new Redis(redis.url);
    await client.set("k", "v");
    expect(await client.get("k")).toBe("v");
    client.disconnect();
    await redis.stop();
    await redis.start();
    const again = new Redis(redis.url);
    expect(await again.get("k")).toBeNull(); // no persistence configured: a restart is empty
    again.disconnect();
  });

  it("starts a real S3 server whose listing paginates", async () => {
    const client = s3.client();
    for (let i = 0; i < 3; i++) {
      await client.send(
        new PutObjectCommand({ Bucket: "harness", Key: `p/${i}.jsonl`, Body: `line ${i}\n` }),
      );
    }
    const first = await client.send(
      new ListObjectsV2Command({ Bucket: "harness", Prefix: "p/", MaxKeys: 2 }),
    );
    expect(first.Contents?.map((o) => o.Key)).toEqual(["p/0.jsonl", "p/1.jsonl"]);
    const second = await client.send(
      new ListObjectsV2Command({
        Bucket: "harness",
        Prefix: "p/",
        MaxKeys: 2,
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second.Contents?.map((o) => o.Key)).toEqual(["p/2.jsonl"]);
    client.destroy();
  });
});
