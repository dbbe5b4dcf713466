import { Readable } from "node:stream";
import { ModelSim } from "@seniority/model-sim";
import type { ObjectStore } from "@seniority/object-store";
import { SeniorityClient } from "@seniority/seniority-model";
import { S3Server, startAll } from "@seniority/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistry } from "@seniority/telemetry";
import { AugmenterMetrics } from "../src/run/AugmenterMetrics.js";
import { runAugmenter } from "../src/run/runAugmenter.js";
import type { RunAugmenterOptions } from "../src/run/RunAugmenterOptions.js";
import {
  A,
  B,
  C,
  Cf,
  expectedOutput,
  FaultyStore,
  FILES,
  keys,
  localBackend,
  P1,
  P2,
  P3,
  P4,
  read,
  recording,
  s3Backend,
  type Backend,
} from "./rareHelpers.js";

const NAMESPACE = "v1:std:m";
const MARKER = (key: string): string => `_rare-pending/${key}.json`;
/** The puts of a FaultyStore, the checkpoint's (timed) left out. */
const objectPuts = (store: FaultyStore): string[] => store.puts.filter((key) => key !== "_checkpoint.json");
const noBackfill = {
  files: { done: 0, failed: 0, skipped: 0, aborted: 0 },
  lines: 0,
  pairsRequested: 0,
  failedFiles: [],
};

let server: S3Server;
let sim: ModelSim;
let client: SeniorityClient;
beforeAll(async () => {
  [server, sim] = await startAll(S3Server.start(["rl-data"]), ModelSim.start({ capacity: 1_000_000 }));
  client = new SeniorityClient({ address: sim.address });
});
afterAll(async () => {
  await client?.close();
  await Promise.all([sim?.close(), server?.close()]);
});

describe.each([
  ["local directories", () => localBackend()],
  ["the S3 server", () => s3Backend(server)],
])("--rare-pairs on %s (real model-sim)", (_name, open: () => Backend) => {
  let backend: Backend;
  beforeAll(() => {
    backend = open();
  });
  afterAll(() => backend?.close());

  /** Stores under a prefix of their own, the inputs written. */
  async function setup(name: string) {
    const input = backend.store(`${name}-raw/`);
    for (const [key, lines] of Object.entries(FILES))
      await input.put(key, Readable.from([Buffer.from(lines.join("\n") + "\n")]), {});
    const output = new FaultyStore(backend.store(`${name}-mod/`));
    return { input, output, errors: backend.store(`${name}-errors/`) };
  }
  const run = (
    stores: { input: ObjectStore; output: ObjectStore; errors: ObjectStore },
    options: Partial<RunAugmenterOptions> = {},
  ) =>
    runAugmenter({
      ...stores,
      resolver: client,
      namespace: NAMESPACE,
      mode: "once",
      chunkLines: 2,
      concurrency: 1,
      ...options,
    });

  it("off (the default) writes today's outputs: every level, no pending metadata, no queue", async () => {
    const stores = await setup("off");
    const summary = await run(stores);
    expect(summary.rarePairs).toBeUndefined();
    for (const key of [A, B, Cf]) {
      expect(await read(stores.output, key)).toBe(expectedOutput(key));
      const linesIn = FILES[key]!.length;
      const bad = key === A ? 1 : 0;
      expect((await stores.output.head(key))!.metadata).toEqual({
        "source-etag": (await stores.input.head(key))!.etag,
        "cache-namespace": NAMESPACE,
        "lines-in": String(linesIn),
        "lines-out": String(linesIn - bad),
        "lines-bad": String(bad),
      });
    }
    expect(await keys(stores.output)).toEqual([
      "1721183940.jsonl",
      "1721184000.jsonl",
      "1721184060.jsonl",
      "_checkpoint.json",
    ]);
  });

  it("defer: first sightings get null and are queued; the window moving past a file backfills it", async () => {
    const stores = await setup("defer");
    const resolver = recording(client);
    const metrics = new AugmenterMetrics(createRegistry("augmenter-rare", { defaultMetrics: false }));
    const summary = await run(stores, {
      resolver,
      metrics,
      rarePairs: { minCount: 2, window: { kind: "files", files: 2 } },
    });
    // A: every pair seen for the first time (P1 counted once though it is in 3 chunks); B: P1 and C
    // seen a second time → inferred, P3 deferred; C: C from the local cache, P4 deferred. A is due
    // once the window (2 files) has moved past it: its backfill infers P2 only.
    expect(resolver.calls).toEqual([[P1], [C], [P2]]);
    expect(summary.rarePairs).toEqual({
      deferredPairs: 5,
      pendingLines: 9,
      queuedFiles: 2,
      backfill: {
        files: { done: 1, failed: 0, skipped: 0, aborted: 0 },
        lines: 6,
        pairsRequested: 1,
        failedFiles: [],
      },
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`augmenter_lines_pending_total{service="augmenter-rare"} 9\n`);
    expect(text).toContain(`augmenter_rare_queued_files{service="augmenter-rare"} 2\n`);
    expect(await read(stores.output, A)).toBe(expectedOutput(A));
    expect(await read(stores.output, B)).toBe(expectedOutput(B, [P3]));
    expect(await read(stores.output, Cf)).toBe(expectedOutput(Cf, [P4]));
    const pendingOf = async (key: string) => (await stores.output.head(key))!.metadata["seniority-pending"];
    expect([await pendingOf(A), await pendingOf(B), await pendingOf(Cf)]).toEqual(["0", "2", "1"]);
    if ("fixture" in backend) {
      // As S3 user metadata, seen by a client of its own.
      const head = await (backend as ReturnType<typeof s3Backend>).fixture.head(`defer-mod/${B}`);
      expect(head?.metadata["seniority-pending"]).toBe("2");
    }
    // Markers before outputs; A's (first) output had every line null; then its rewrite and the marker's deletion.
    expect(objectPuts(stores.output)).toEqual([MARKER(A), A, MARKER(B), B, MARKER(Cf), Cf, A]);
    expect(await keys(stores.output)).toEqual([A, B, Cf, "_checkpoint.json", MARKER(B), MARKER(Cf)]);
    const marker = JSON.parse(await read(stores.output, MARKER(B))) as Record<string, unknown>;
    expect(marker).toMatchObject({
      version: 1,
      key: B,
      position: 2,
      pendingLines: 2,
      pairs: [[P3.company, P3.title]],
    });

    // A second run has nothing new to do (the checkpoint covers the three) and nothing due (with a
    // window of files, queued files age with this run's files): no model call, no put.
    stores.output.puts.length = 0;
    const again = await run(stores, {
      resolver,
      rarePairs: { minCount: 2, window: { kind: "files", files: 2 } },
    });
    expect(again.files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    expect(again.rarePairs).toEqual({
      deferredPairs: 0,
      pendingLines: 0,
      queuedFiles: 2,
      backfill: noBackfill,
    });
    expect(objectPuts(stores.output)).toEqual([]);

    // --backfill-pending rewrites exactly the queued files, with every level, and empties the queue.
    resolver.calls.length = 0;
    const backfill = await run(stores, { resolver, mode: "backfill" });
    expect(resolver.calls).toEqual([[P1, P3], [C], [P4]]); // a new run: its local cache starts empty
    expect(objectPuts(stores.output)).toEqual([B, Cf]);
    expect(backfill.files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    expect(backfill.rarePairs?.backfill).toEqual({
      files: { done: 2, failed: 0, skipped: 0, aborted: 0 },
      lines: 6,
      pairsRequested: 4,
      failedFiles: [],
    });
    expect(backfill.rarePairs?.queuedFiles).toBe(0);
    for (const key of [A, B, Cf]) expect(await read(stores.output, key)).toBe(expectedOutput(key));
    expect(await pendingOf(B)).toBe("0");
    expect(await keys(stores.output)).toEqual([A, B, Cf, "_checkpoint.json"]);
  });

  it("a backfill interrupted between files and at the marker's deletion, rerun, ends with every output final", async () => {
    const stores = await setup("crash");
    const window = { kind: "files" as const, files: 100 }; // nothing due: all three stay queued
    const first = await run(stores, { rarePairs: { minCount: 2, window } });
    expect(first.rarePairs?.queuedFiles).toBe(3);
    expect(await read(stores.output, A)).toBe(expectedOutput(A, [C, P1, P2]));

    // A is rewritten but its marker's deletion fails; B's rewrite fails before anything is visible.
    stores.output.failDelete.add(MARKER(A));
    stores.output.failPut.add(B);
    stores.output.puts.length = 0;
    const crashed = await run(stores, { mode: "backfill" });
    expect(crashed.rarePairs?.backfill.files).toEqual({ done: 1, failed: 2, skipped: 0, aborted: 0 });
    expect(crashed.failedFiles).toEqual([]); // the main summary's: no main-pass file failed
    expect(crashed.rarePairs?.backfill.failedFiles).toEqual([A, B]);
    expect(objectPuts(stores.output)).toEqual([A, Cf]);
    expect(await read(stores.output, A)).toBe(expectedOutput(A));
    expect(await read(stores.output, B)).toBe(expectedOutput(B, [P3]));
    expect(await keys(stores.output)).toEqual([A, B, Cf, "_checkpoint.json", MARKER(A), MARKER(B)]);

    stores.output.failDelete.clear();
    stores.output.failPut.clear();
    stores.output.puts.length = 0;
    const rerun = await run(stores, { mode: "backfill" });
    // A was final already: only its marker goes (skipped, not rewritten); B is rewritten.
    expect(rerun.rarePairs?.backfill.files).toEqual({ done: 1, failed: 0, skipped: 1, aborted: 0 });
    expect(objectPuts(stores.output)).toEqual([B]);
    for (const key of [A, B, Cf]) {
      expect(await read(stores.output, key)).toBe(expectedOutput(key));
      expect((await stores.output.head(key))!.metadata["seniority-pending"]).toBe("0");
    }
    expect(await keys(stores.output)).toEqual([A, B, Cf, "_checkpoint.json"]);
  });

  it("a crash between a file's marker and its output, rerun with files in parallel, ends final", async () => {
    const stores = await setup("marker-crash");
    const rarePairs = { minCount: 2, window: { kind: "files" as const, files: 100 } };
    stores.output.failPut.add(A); // A's marker is put, then its output's put fails (nothing visible)
    const crashed = await run(stores, { rarePairs });
    expect(crashed.failedFiles).toEqual([A]);
    expect(await keys(stores.output)).toEqual([B, Cf, MARKER(A), MARKER(B), MARKER(Cf)]);

    stores.output.failPut.clear();
    const rerun = await run(stores, { rarePairs, concurrency: 4 });
    expect(rerun.files.done).toBe(1);
    // A's marker from the crashed attempt counted its pairs once already (read back at start), so
    // this attempt is their second file: inferred at once (counts only err towards inferring).
    expect(rerun.rarePairs?.pendingLines).toBe(0);
    expect((await stores.output.head(A))!.metadata["seniority-pending"]).toBe("0");
    const backfill = await run(stores, { mode: "backfill", concurrency: 4 });
    // A is final: only its stale marker goes; B and C are rewritten.
    expect(backfill.rarePairs?.backfill.files).toEqual({ done: 2, failed: 0, skipped: 1, aborted: 0 });
    for (const key of [A, B, Cf]) expect(await read(stores.output, key)).toBe(expectedOutput(key));
    expect(await keys(stores.output)).toEqual([A, B, Cf, "_checkpoint.json"]);
  });
});
