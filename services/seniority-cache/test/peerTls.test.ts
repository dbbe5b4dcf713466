import { openSeniorityCache, type SeniorityCache } from "@seniority/seniority-cache";
import { createLogger } from "@seniority/telemetry";
import { freePort, TestCertificates, useRedis } from "@seniority/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { CacheServer } from "../src/grpc/CacheServer.js";

const logger = createLogger("peer-tls-test", "silent");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Peer ownership between replicas that serve mTLS (as deployed): a replica dials its peers with
 * their CA and its client certificate (--peer-tls-*). Real handshakes (openssl-made certificates),
 * real redis-server, stopped to make claims unusable.
 */
describe("peer ownership over mTLS", () => {
  const redis = useRedis();
  const model = new RecordingModel();
  let certs: TestCertificates;
  let files: Record<"ca" | "server" | "client", { cert: string; key: string }>;
  const replicas: { cache: SeniorityCache; server: CacheServer }[] = [];

  beforeAll(() => {
    certs = new TestCertificates();
    const ca = certs.authority("peers");
    const server = certs.issue("replica-server", ca);
    const client = certs.issue("replica-client", ca, { usage: "client" });
    files = { ca, server, client };
  });
  afterAll(async () => {
    for (const { cache, server } of replicas) {
      await server.close();
      await cache.close();
    }
    certs.close();
  });

  async function replica(peerTls: boolean) {
    const { ca, server, client } = files;
    const port = await freePort();
    const cache = await openSeniorityCache({
      store: redis.url,
      redisKeyPrefix: `peertls${peerTls ? 1 : 0}:`,
      model,
      maxDelayMs: 5,
      logger,
      peerAddress: `127.0.0.1:${port}`,
      ...(peerTls ? { peerTls: { caFile: ca.cert, certFile: client.cert, keyFile: client.key } } : {}),
    });
    const tls = { certFile: server.cert, keyFile: server.key, clientCaFile: ca.cert };
    const served = await CacheServer.start({ cache, port, host: "127.0.0.1", logger, tls });
    replicas.push({ cache, server: served });
    return cache;
  }

  it("a miss a peer owns is asked of it over mTLS (plaintext to an mTLS peer fails, and is inferred here)", async () => {
    const withTls = [await replica(true), await replica(true)];
    const plain = [await replica(false), await replica(false)];
    await sleep(600); // two heartbeats (every 250 ms): each knows its peer and its address
    await redis.server.stop();
    const pairs = Array.from({ length: 100 }, (_, i) => ({ company: "Peer TLS", title: `Analyst ${i}` }));
    const levels = pairs.map((pair) => levelOf(pair.title));

    expect(await withTls[0]!.infer(pairs)).toEqual(levels);
    const forwarded = withTls[0]!.stats().forwardedToPeers;
    expect(forwarded).toBeGreaterThan(20); // about half are the peer's
    expect(forwarded).toBeLessThan(80);
    // The peer answered them: it inferred exactly the pairs it was asked.
    expect(withTls[1]!.stats().modelItems).toBe(forwarded);
    expect(withTls[0]!.stats().modelItems).toBe(100 - forwarded);

    // Without --peer-tls-*, the handshake with an mTLS peer fails: every pair is inferred here.
    expect(await plain[0]!.infer(pairs)).toEqual(levels);
    expect(plain[0]!.stats().forwardedToPeers).toBeGreaterThan(20);
    expect(plain[1]!.stats().modelItems).toBe(0);
    expect(plain[0]!.stats().modelItems).toBe(100);
    await redis.server.start();
  }, 30_000);
});
