import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@seniority/clock";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import { SeniorityClient, type SeniorityResolver } from "@seniority/seniority-model";
import { createRegistry } from "@seniority/telemetry";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useRedis, type RedisServer } from "@seniority/testkit";
import { AugmenterMetrics } from "../src/run/AugmenterMetrics.js";
import { LeaseKeys, leaseScope } from "../src/leases/LeaseKeys.js";
import { RedisFileLeases, type RedisFileLeasesOptions } from "../src/leases/RedisFileLeases.js";
import { runAugmenter } from "../src/run/runAugmenter.js";
import type { RunAugmenterOptions } from "../src/run/RunAugmenterOptions.js";
import { jsonlFixture, type Fixture } from "./jsonlFixture.js";

const splice = (text: string): string => {
  const { title } = JSON.parse(text) as { title: string };
  return `${text.slice(0, -1)},"seniority":${levelForTitle(title)}}`;
};
const expectedOutput = (fixture: Fixture): string => fixture.good.map((l) => splice(l) + "\n").join("");
/** Visible objects of a local folder (temp files and metadata sidecars are dot-files). */
const visible = (dir: string): string[] => readdirSync(dir).filter((name) => !name.startsWith("."));

describe("runAugmenter with Redis leases (several replicas, one input)", () => {
  const fixture = useRedis();
  let redisServer: RedisServer;
  let redis: Redis;
  let sim: ModelSim;
  let client: SeniorityClient;
  let root: string;
  let prefix: string;
  const opened: RedisFileLeases[] = [];
  beforeAll(async () => {
    redisServer = fixture.server;
    redis = fixture.client({ maxRetriesPerRequest: 0 });
    sim = await ModelSim.start({ capacity: 1_000_000 });
    client = new SeniorityClient({ address: sim.address });
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
  beforeEach((context) => {
    root = mkdtempSync(join(tmpdir(), "augmenter-leases-"));
    for (const folder of ["raw", "mod", "errors"]) mkdirSync(join(root, folder));
    prefix = `test:${context.task.id}:`;
  });
  afterEach(async () => {
    sim.setFaults({ latencyMs: 0 });
    await Promise.all(opened.splice(0).map((leases) => leases.close()));
    rmSync(root, { recursive: true, force: true });
  });

  /** Separate store objects for each replica, as separate processes would have. */
  const stores = () => ({
    input: new LocalDirObjectStore(join(root, "raw")),
    output: new LocalDirObjectStore(join(root, "mod")),
    errors: new LocalDirObjectStore(join(root, "errors")),
  });
  const scope = () => leaseScope(stores().input.location, stores().output.location);
  const leaseKey = (file: string) => new LeaseKeys(prefix, scope()).lease(file);
  function openLeases(owner: string, options: Partial<RedisFileLeasesOptions> = {}): RedisFileLeases {
    const leases = RedisFileLeases.open(redisServer.url, {
      scope: scope(),
      keyPrefix: prefix,
      owner,
      logger: pino({ level: "silent" }),
      ...options,
    });
    opened.push(leases);
    return leases;
  }
  const newMetrics = () => new AugmenterMetrics(createRegistry("augmenter-test", { defaultMetrics: false }));
  const leaseCounts = async (metrics: AugmenterMetrics) =>
    Object.fromEntries((await metrics.leases.get()).values.map((v) => [v.labels.result, v.value]));
  const run = (options: Partial<RunAugmenterOptions> & Pick<RunAugmenterOptions, "leases">) =>
    runAugmenter({ ...stores(), resolver: client, mode: "once", chunkLines: 50, ...options });
  function writeInputs(count: number, lines: number): Record<string, Fixture> {
    const files: Record<string, Fixture> = {};
    for (let i = 0; i < count; i++) {
      const key = `${1721183934 + 60 * i}.jsonl`;
      files[key] = jsonlFixture(100 + i, lines);
      writeFileSync(join(root, "raw", key), files[key].bytes);
    }
    return files;
  }

  it("two --once replicas on one input process every file exactly once between them", async () => {
    const files = writeInputs(8, 200);
    sim.setFaults({ latencyMs: 10 }); // each file takes a few calls, so the replicas overlap
    const [metricsA, metricsB] = [newMetrics(), newMetrics()];
    const [a, b] = await Promise.all([
      run({ leases: openLeases("replica-a"), metrics: metricsA, leaseRecheckMs: 20 }),
      run({ leases: openLeases("replica-b"), metrics: metricsB, leaseRecheckMs: 20 }),
    ]);

    expect(a.files.failed + b.files.failed).toBe(0);
    expect(a.files.done + b.files.done).toBe(8);
    expect(a.files.done).toBeGreaterThan(0);
    expect(b.files.done).toBeGreaterThan(0);
    const linesIn = Object.values(files).reduce((n, f) => n + f.good.length + f.bad.length, 0);
    expect(a.lines.in + b.lines.in).toBe(linesIn); // no file's lines counted twice
    for (const [key, fixture] of Object.entries(files))
      expect(readFileSync(join(root, "mod", key), "utf8")).toBe(expectedOutput(fixture));

    const [countsA, countsB] = [await leaseCounts(metricsA), await leaseCounts(metricsB)];
    // Every processing happened under a lease; both started with the oldest file, so one found it busy.
    expect(countsA.acquired! + countsB.acquired!).toBe(8 + a.files.skipped + b.files.skipped);
    expect(countsA.busy! + countsB.busy!).toBeGreaterThan(0);
    expect(countsA.lost! + countsB.lost!).toBe(0);
    expect(await redis.keys(`${prefix}*`)).toEqual([]); // every lease released
  });

  it("takes over a file whose lease a dead replica left, once it expires (--once waits for it)", async () => {
    const files = writeInputs(2, 100);
    const [first] = Object.keys(files);
    await redis.set(leaseKey(first!), "dead-host:4242:0badc0de", "PX", 300);
    const metrics = newMetrics();
    const summary = await run({ leases: openLeases("replica-a"), metrics, leaseRecheckMs: 20 });

    expect(summary).toMatchObject({ files: { done: 2, failed: 0, skipped: 0, aborted: 0 }, failedFiles: [] });
    expect(readFileSync(join(root, "mod", first!), "utf8")).toBe(expectedOutput(files[first!]!));
    const counts = await leaseCounts(metrics);
    expect(counts).toMatchObject({ acquired: 2, lost: 0 });
    expect(counts.busy).toBeGreaterThanOrEqual(1);
    expect(await redis.exists(leaseKey(first!))).toBe(0);
  });

  it("aborts a file whose lease is lost mid-file (no output), and redoes it once the lease is free", async () => {
    const files = writeInputs(1, 400);
    const [key] = Object.keys(files);
    const leaseClock = new ManualClock();
    const runClock = new ManualClock();
    const metrics = newMetrics();
    let calls = 0;
    // On the first call: another owner takes the key, and the next renewal (at ttl / 3) sees it.
    const stealing: SeniorityResolver = {
      resolve: async (pairs, options) => {
        if (calls++ === 0) {
          await redis.set(leaseKey(key!), "replica-b", "PX", 60_000);
          await leaseClock.advance(10_000);
          await vi.waitFor(async () => expect((await leaseCounts(metrics)).lost).toBe(1), {
            timeout: 3000,
            interval: 10,
          });
        }
        return client.resolve(pairs, options);
      },
      close: async () => {},
    };
    const running = run({
      leases: openLeases("replica-a", { ttlMs: 30_000, clock: leaseClock }),
      resolver: stealing,
      metrics,
      clock: runClock,
      leaseRecheckMs: 1000,
    });
    // The file is now replica-b's business: this replica waits to re-check it.
    await vi.waitFor(() => expect(runClock.pending).toBe(1), { timeout: 5000, interval: 10 });
    expect(await stores().output.head(key!)).toBeUndefined();
    expect(visible(join(root, "mod"))).toEqual([]);
    expect(readdirSync(join(root, "mod"))).toEqual([]); // no temp file left behind either
    expect(await leaseCounts(metrics)).toEqual({ acquired: 1, busy: 0, lost: 1 });

    await redis.del(leaseKey(key!)); // replica-b gave up without finishing it
    await runClock.advance(1000);
    expect(await running).toMatchObject({
      files: { done: 1, failed: 0, skipped: 0, aborted: 0 },
      failedFiles: [],
    });
    expect(readFileSync(join(root, "mod", key!), "utf8")).toBe(expectedOutput(files[key!]!));
    expect(await leaseCounts(metrics)).toEqual({ acquired: 2, busy: 0, lost: 1 });
  });

  it("with Redis down fails every file untouched (no model call, no output); a rerun does them", async () => {
    const files = writeInputs(3, 100);
    const itemsBefore = sim.stats().items;
    await redisServer.stop();
    let failed;
    try {
      failed = await run({ leases: openLeases("replica-a"), metrics: newMetrics() });
    } finally {
      await redisServer.start();
    }
    expect(failed).toMatchObject({
      files: { done: 0, failed: 3, skipped: 0, aborted: 0 },
      failedFiles: Object.keys(files),
    });
    expect(sim.stats().items).toBe(itemsBefore);
    expect(visible(join(root, "mod"))).toEqual([]);
    expect(visible(join(root, "errors"))).toEqual([]);

    const rerun = await run({ leases: openLeases("replica-a-rerun"), metrics: newMetrics() });
    expect(rerun).toMatchObject({ files: { done: 3, failed: 0 }, failedFiles: [] });
    for (const [key, fixture] of Object.entries(files))
      expect(readFileSync(join(root, "mod", key), "utf8")).toBe(expectedOutput(fixture));
  });
});
