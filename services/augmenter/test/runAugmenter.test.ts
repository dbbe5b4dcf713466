import { ManualClock } from "@seniority/clock";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { SeniorityClient } from "@seniority/seniority-model";
import { createRegistry } from "@seniority/telemetry";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { S3Server, startAll } from "@seniority/testkit";
import { AugmenterMetrics } from "../src/run/AugmenterMetrics.js";
import { runAugmenter } from "../src/run/runAugmenter.js";
import type { RunAugmenterOptions } from "../src/run/RunAugmenterOptions.js";
import { jsonlFixture, type Fixture } from "./jsonlFixture.js";
import { S3Fixture } from "./s3Helpers.js";
import { jsonLines } from "./support/jsonLines.js";

const splice = (text: string): string => {
  const { title } = JSON.parse(text) as { title: string };
  return `${text.slice(0, -1)},"seniority":${levelForTitle(title)}}`;
};

describe("runAugmenter against a real S3 server and model-sim", () => {
  let server: S3Server;
  let s3: S3Fixture;
  let sim: ModelSim;
  let client: SeniorityClient;
  beforeAll(async () => {
    [server, sim] = await startAll(S3Server.start(["rl-data"]), ModelSim.start({ capacity: 1_000_000 }));
    s3 = new S3Fixture(server);
    client = new SeniorityClient({
      address: sim.address,
      retries: 2,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
    });
  });
  afterAll(async () => {
    await client?.close();
    await s3?.close();
    await Promise.all([sim?.close(), server?.close()]);
  });

  const stores = (name: string) => ({
    input: s3.store(`${name}-raw/`),
    output: s3.store(`${name}-mod/`),
    errors: s3.store(`${name}-errors/`),
  });
  const run = (name: string, options: Partial<RunAugmenterOptions> = {}) =>
    runAugmenter({ ...stores(name), resolver: client, mode: "once", chunkLines: 100, ...options });

  const files: Record<string, Fixture> = {
    "1721183934.jsonl": jsonlFixture(1, 400),
    "1721183994.jsonl": jsonlFixture(2, 300, 0.1, true),
    "1721184054.jsonl": jsonlFixture(3, 0),
  };

  it("augments every pending file: levels from the model, bad lines reported, counts adding up", async () => {
    for (const [key, fixture] of Object.entries(files)) await s3.put(`gen-raw/${key}`, fixture.bytes);
    await s3.put("gen-raw/notes.txt", "not an input");
    const metrics = new AugmenterMetrics(createRegistry("augmenter-test", { defaultMetrics: false }));
    // One file at a time, so the local cache sees every earlier pair (files in parallel may both ask).
    const summary = await run("gen", { metrics, concurrency: 1, now: () => 1721184054_000 + 60_000 });

    const totals = { in: 0, out: 0, bad: 0 };
    for (const [key, fixture] of Object.entries(files)) {
      const output = (await s3.get(`gen-mod/${key}`)).toString("utf8");
      expect(output).toBe(fixture.good.map((line) => splice(line) + "\n").join(""));
      const errors = (await s3.get(`gen-errors/${key}`)).toString("utf8");
      const records = jsonLines<{ file: string; line: number; reason: string }>(errors);
      expect(records.map(({ file, line, reason }) => ({ file, line, reason }))).toEqual(
        fixture.bad.map((b) => ({ file: key, ...b })),
      );
      const linesIn = fixture.good.length + fixture.bad.length;
      const head = await s3.head(`gen-mod/${key}`);
      expect(head?.metadata).toEqual({
        "source-etag": (await s3.head(`gen-raw/${key}`))!.etag.replace(/"/g, ""),
        "lines-in": String(linesIn),
        "lines-out": String(fixture.good.length),
        "lines-bad": String(fixture.bad.length),
      });
      totals.in += linesIn;
      totals.out += fixture.good.length;
      totals.bad += fixture.bad.length;
    }
    expect(totals.bad).toBeGreaterThan(20);
    expect(summary).toMatchObject({
      files: { done: 3, failed: 0, skipped: 0, aborted: 0 },
      lines: totals,
      failedFiles: [],
    });
    expect(await s3.head("gen-mod/notes.txt")).toBeUndefined();
    // Each distinct pair is asked once: per-chunk dedup, then the local cache across chunks and files.
    const distinct = new Set(
      Object.values(files).flatMap((f) =>
        f.good.map((l) =>
          JSON.stringify([
            (JSON.parse(l) as { company: string }).company,
            (JSON.parse(l) as { title: string }).title,
          ]),
        ),
      ),
    );
    expect(summary.pairsRequested).toBe(distinct.size);
    expect(summary.localCacheHits).toBeGreaterThan(0);
    expect((await metrics.lines.get()).values.map((v) => [v.labels.outcome, v.value])).toEqual([
      ["ok", totals.out],
      ["bad", totals.bad],
    ]);
    expect((await metrics.files.get()).values.find((v) => v.labels.outcome === "done")?.value).toBe(3);
    expect((await metrics.pairsRequested.get()).values[0]?.value).toBe(summary.pairsRequested);
    expect((await metrics.lag.get()).values[0]?.value).toBe(0);
  });

  it("reruns without reprocessing anything: no model calls, outputs untouched", async () => {
    const outputs = async () => {
      const { "gen-mod/_checkpoint.json": _checkpoint, ...rest } = await s3.snapshot("gen-mod/");
      return rest;
    };
    const before = {
      items: sim.stats().items,
      mod: await outputs(),
      errors: await s3.snapshot("gen-errors/"),
    };
    // The checkpoint says every key up to the last listed one is done: nothing is even looked at.
    expect(JSON.parse((await s3.get("gen-mod/_checkpoint.json")).toString("utf8"))).toMatchObject({
      version: 1,
      after: "notes.txt",
      namespace: "",
      input: "s3://rl-data/gen-raw/",
    });
    const summary = await run("gen");
    expect(summary).toMatchObject({
      files: { done: 0, failed: 0, skipped: 0 },
      lines: { in: 0, out: 0, bad: 0 },
      pairsRequested: 0,
    });
    // --rescan ignores it: every file is verified against its output, and found done.
    const rescan = await run("gen", { rescan: true });
    expect(rescan).toMatchObject({ files: { done: 0, failed: 0, skipped: 3 }, pairsRequested: 0 });
    expect(sim.stats().items).toBe(before.items);
    expect(await outputs()).toEqual(before.mod);
    expect(await s3.snapshot("gen-errors/")).toEqual(before.errors);
  });

  it("fails a file cleanly while the proxy is down (no output), and does it on the next run", async () => {
    await s3.put("down-raw/1721183934.jsonl", files["1721183934.jsonl"]!.bytes);
    await s3.put("down-raw/1721183994.jsonl", files["1721183994.jsonl"]!.bytes);
    sim.setFaults({ refuseAll: true });
    const metrics = new AugmenterMetrics(createRegistry("augmenter-test", { defaultMetrics: false }));
    let failed;
    try {
      failed = await run("down", { metrics, concurrency: 1, now: () => 1721183934_000 + 100_000 });
    } finally {
      sim.setFaults({ refuseAll: false });
    }
    expect(failed).toMatchObject({
      files: { done: 0, failed: 2 },
      failedFiles: ["1721183934.jsonl", "1721183994.jsonl"],
    });
    expect(await s3.head("down-mod/1721183934.jsonl")).toBeUndefined();
    expect(await s3.head("down-mod/1721183994.jsonl")).toBeUndefined();
    expect((await metrics.lag.get()).values[0]?.value).toBe(100);
    expect((await metrics.files.get()).values.find((v) => v.labels.outcome === "failed")?.value).toBe(2);

    const again = await run("down");
    expect(again).toMatchObject({ files: { done: 2, failed: 0 }, failedFiles: [] });
    expect((await s3.get("down-mod/1721183934.jsonl")).equals(await s3.get("gen-mod/1721183934.jsonl"))).toBe(
      true,
    );
  });

  it("watches: picks up new files on each poll and retries a failed one until it succeeds", async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    await s3.put("watch-raw/1721183934.jsonl", files["1721183934.jsonl"]!.bytes);
    let failNext = true;
    const flaky = {
      resolve: (pairs: readonly { company: string; title: string }[]) =>
        failNext ? ((failNext = false), Promise.reject(new Error("proxy down"))) : client.resolve(pairs),
      close: async () => {},
    };
    const running = run("watch", {
      mode: "watch",
      clock,
      intervalMs: 30_000,
      signal: stop.signal,
      resolver: flaky,
    });
    await vi.waitFor(() => expect(clock.pending).toBe(1), { timeout: 10_000, interval: 20 });
    expect(await s3.head("watch-mod/1721183934.jsonl")).toBeUndefined(); // the first attempt failed

    await s3.put("watch-raw/1721183994.jsonl", files["1721183994.jsonl"]!.bytes);
    await clock.advance(30_000);
    await vi.waitFor(() => expect(clock.pending).toBe(1), { timeout: 10_000, interval: 20 });
    expect(await s3.head("watch-mod/1721183934.jsonl")).toBeDefined();
    expect(await s3.head("watch-mod/1721183994.jsonl")).toBeDefined();

    stop.abort();
    expect(await running).toMatchObject({ files: { done: 2, failed: 1, skipped: 0 }, failedFiles: [] });
  });
});
