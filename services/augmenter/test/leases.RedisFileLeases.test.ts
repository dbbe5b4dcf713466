import { ManualClock } from "@seniority/clock";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useRedis, type RedisServer } from "@seniority/testkit";
import type { FileLease } from "../src/leases/FileLeases.js";
import { LeaseKeys, leaseScope } from "../src/leases/LeaseKeys.js";
import { LeaseLostError } from "../src/leases/LeaseLostError.js";
import { RedisFileLeases, type RedisFileLeasesOptions } from "../src/leases/RedisFileLeases.js";

const FILE = "1721183934.jsonl";
const SCOPE = leaseScope("s3://rl-data/job-postings-raw/", "s3://rl-data/job-postings-mod/");

describe("RedisFileLeases against a real redis-server", () => {
  const fixture = useRedis();
  let server: RedisServer;
  let redis: Redis;
  const opened: RedisFileLeases[] = [];
  beforeAll(() => {
    server = fixture.server;
    redis = fixture.client({ maxRetriesPerRequest: 0 });
    redis.on("error", () => {}); // while the server is stopped on purpose
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((leases) => leases.close()));
  });

  /** Leases with their own key prefix, a manual clock and a 60 s ttl (renewals every 20 s). */
  function open(test: string, owner: string, options: Partial<RedisFileLeasesOptions> = {}) {
    const clock = new ManualClock();
    const keyPrefix = `test:${test}:`;
    const leases = RedisFileLeases.open(server.url, {
      scope: SCOPE,
      keyPrefix,
      ttlMs: 60_000,
      owner,
      clock,
      logger: pino({ level: "silent" }),
      ...options,
    });
    opened.push(leases);
    return { leases, clock, key: new LeaseKeys(keyPrefix, SCOPE).lease(FILE) };
  }
  const lostReason = (lease: FileLease): LeaseLostError => lease.signal.reason as LeaseLostError;

  it("names keys <prefix>lease:<scope>:<file>, the scope hashing input and output locations", () => {
    expect(SCOPE).toMatch(/^[0-9a-f]{16}$/);
    expect(leaseScope("s3://rl-data/job-postings-raw/", "s3://rl-data/job-postings-mod/")).toBe(SCOPE);
    expect(leaseScope("s3://rl-data/job-postings-raw/", "s3://rl-data/other-mod/")).not.toBe(SCOPE);
    expect(new LeaseKeys("seniority:augmenter:", SCOPE).lease(FILE)).toBe(
      `seniority:augmenter:lease:${SCOPE}:${FILE}`,
    );
    expect(() => new LeaseKeys("p:", "")).toThrow("lease scope must not be empty");
  });

  it("takes a lease with SET NX PX; another owner finds it busy until it is released", async () => {
    const a = open("take", "replica-a");
    const b = open("take", "replica-b");
    const lease = await a.leases.acquire(FILE);
    expect(lease).toBeDefined();
    expect(await redis.get(a.key)).toBe("replica-a");
    const pttl = await redis.pttl(a.key);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);

    expect(await b.leases.acquire(FILE)).toBeUndefined();
    await lease!.release();
    await lease!.release(); // idempotent
    expect(await redis.exists(a.key)).toBe(0);
    expect(lease!.signal.aborted).toBe(false);
    expect(a.clock.pending).toBe(0); // no renewal left behind

    const taken = await b.leases.acquire(FILE);
    expect(await redis.get(a.key)).toBe("replica-b");
    await taken!.release();
  });

  it("renews every ttl / 3 while the key still holds its token", async () => {
    const { leases, clock, key } = open("renew", "replica-a");
    const lease = await leases.acquire(FILE);
    await redis.pexpire(key, 5_000);
    expect(clock.pending).toBe(1); // the renewal loop, asleep
    await clock.advance(20_000);
    await vi.waitFor(async () => expect(await redis.pttl(key)).toBeGreaterThan(59_000), {
      timeout: 2000,
      interval: 10,
    });
    expect(await redis.get(key)).toBe("replica-a");
    expect(lease!.signal.aborted).toBe(false);
    await lease!.release();
  });

  it("is lost at once when a renewal finds another owner, whose key release leaves alone", async () => {
    const { leases, clock, key } = open("taken", "replica-a");
    const lease = await leases.acquire(FILE);
    await redis.set(key, "replica-b", "PX", 60_000); // e.g. after this replica stalled past the ttl
    await clock.advance(20_000);
    await vi.waitFor(() => expect(lease!.signal.aborted).toBe(true), { timeout: 2000, interval: 10 });
    expect(lostReason(lease!)).toBeInstanceOf(LeaseLostError);
    expect(lostReason(lease!)).toMatchObject({
      kind: "taken",
      key: FILE,
      message: `lease of ${FILE} lost: another owner holds it now`,
    });
    await lease!.release();
    expect(await redis.get(key)).toBe("replica-b");
    expect(clock.pending).toBe(0);
  });

  it("takes over a lease left by a dead owner once it expires", async () => {
    const { leases, key } = open("dead", "replica-a");
    await redis.set(key, "dead-host:4242:0badc0de", "PX", 200);
    expect(await leases.acquire(FILE)).toBeUndefined();
    const lease = await vi.waitFor(
      async () => {
        const taken = await leases.acquire(FILE);
        expect(taken).toBeDefined();
        return taken!;
      },
      { timeout: 3000, interval: 25 },
    );
    expect(await redis.get(key)).toBe("replica-a");
    await lease.release();
  });

  it("with Redis down: acquire fails naming the store, and a held lease is lost a ttl after its last renewal", async () => {
    const { leases, clock, key } = open("down", "replica-a");
    const lease = await leases.acquire(FILE);
    await server.stop();
    try {
      await expect(leases.acquire("1721183994.jsonl")).rejects.toThrow(
        new RegExp(`^lease store redis://127\\.0\\.0\\.1:${server.port} unreachable: `),
      );
      // Two failed renewals (at 20 s and 40 s): still held, as Redis keeps it until 60 s.
      for (const _ of [1, 2]) {
        await clock.advance(20_000);
        await vi.waitFor(() => expect(clock.pending).toBe(1), { timeout: 3000, interval: 10 });
        expect(lease!.signal.aborted).toBe(false);
      }
      await clock.advance(20_000);
      await vi.waitFor(() => expect(lease!.signal.aborted).toBe(true), { timeout: 3000, interval: 10 });
      expect(lostReason(lease!)).toMatchObject({
        kind: "unreachable",
        message: `lease of ${FILE} lost: the lease store was unreachable for a whole time to live`,
      });
      await lease!.release(); // nothing to give up, nothing thrown
    } finally {
      await server.start();
    }
    // The client reconnects by itself.
    const again = await vi.waitFor(
      async () => {
        const taken = await leases.acquire(FILE);
        expect(taken).toBeDefined();
        return taken!;
      },
      { timeout: 5000, interval: 50 },
    );
    expect(await redis.get(key)).toBe("replica-a");
    await again.release();
  });

  it("close() releases held leases, stops their renewals, can run twice; acquire then rejects", async () => {
    const { leases, clock, key } = open("close", "replica-a");
    await leases.acquire(FILE);
    expect(await redis.get(key)).toBe("replica-a");
    await leases.close();
    await leases.close();
    expect(await redis.exists(key)).toBe(0);
    expect(clock.pending).toBe(0);
    await expect(leases.acquire(FILE)).rejects.toThrow("leases are closed");
  });

  it("checks its URL and ttl, and hides a password", () => {
    expect(RedisFileLeases.checkUrl("redis://:secret@cache.internal:6379/2")).toBe(
      "redis://:***@cache.internal:6379/2",
    );
    // A lone userinfo may be a token: hidden too (redactUrls, the project's one redaction).
    expect(RedisFileLeases.checkUrl("rediss://user@cache.internal:6380")).toBe(
      "rediss://***@cache.internal:6380",
    );
    for (const bad of ["http://cache:6379", "cache:6379", "redis-cluster://a:1,b:2"]) {
      expect(() => RedisFileLeases.checkUrl(bad)).toThrow(
        `expected redis://host:port or rediss://host:port, got "${bad}".`,
      );
    }
    expect(() => RedisFileLeases.open(server.url, { scope: SCOPE, ttlMs: 299 })).toThrow(
      "lease ttl must be an integer of at least 300 ms, got 299",
    );
  });
});
