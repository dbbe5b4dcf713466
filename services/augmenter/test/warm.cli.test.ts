import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelSim } from "@seniority/model-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingProxy } from "./support/RecordingProxy.js";
import { runWarmCli } from "./support/runWarmCli.js";
import { startMemoryProxy } from "./support/startMemoryProxy.js";

const root = mkdtempSync(join(tmpdir(), "seniority-warm-"));
const history = join(root, "history");
const line = (company: string, title: string): string => `${JSON.stringify({ url: "u", company, title })}\n`;
const times = (n: number, text: string): string => text.repeat(n);
let proxy: RecordingProxy;

beforeAll(async () => {
  mkdirSync(history);
  // A 6 (5 + 1 in the CSV), D 4, B 3, E 2, C 1; one bad JSONL line, one CSV row without a title.
  writeFileSync(
    join(history, "1721183940.jsonl"),
    times(5, line("Acme", "CEO")) + times(3, line("Bolt", "Intern")) + line("Cora", "Clerk") + "not json\n",
  );
  writeFileSync(
    join(history, "older.csv"),
    "company,title,location\nAcme,CEO,NY\n" +
      times(4, '"Dyn, Inc",Senior Engineer,SF\n') +
      times(2, "Echo,Analyst,LA\n") +
      "Fog,,LA\n",
  );
  writeFileSync(join(history, "notes.txt"), "not postings\n");
  proxy = await RecordingProxy.start();
});
afterAll(async () => {
  await proxy?.close();
  rmSync(root, { recursive: true, force: true });
});

const PLAN = ["Acme|CEO", "Dyn, Inc|Senior Engineer", "Bolt|Intern", "Echo|Analyst"];

describe("seniority warm", () => {
  it("sends the most frequent pairs seen twice or more, most frequent first, only in the bulk lane", async () => {
    proxy.calls.length = 0;
    const result = await runWarmCli([history, "--proxy", proxy.address, "--batch", "3", "--rate", "1000"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      namespace: "v1:std:m:k2",
      resumed: false,
      counted: { files: 2, lines: 18, badLines: 2, tracked: 5 },
      coveredLines: 15,
      planPairs: 4,
      skipped: 0,
      sent: 4,
    });
    expect(proxy.calls.map((c) => [c.lane, c.pairs.length])).toEqual([
      // at most 3 a call; 2 each, as the 1,000/s split into equal whole batches (RatePacer.batchSize)
      ["bulk", 2],
      ["bulk", 2],
    ]);
    expect(proxy.sent()).toEqual(PLAN);
  });

  it("--top and --min-count choose the plan; one file can be the location", async () => {
    proxy.calls.length = 0;
    const file = join(history, "1721183940.jsonl");
    const result = await runWarmCli([file, "--proxy", proxy.address, "--top", "2", "--min-count", "1"]);
    expect(JSON.parse(result.out)).toMatchObject({
      counted: { files: 1, lines: 10, badLines: 1 },
      planPairs: 2,
    });
    expect(proxy.sent()).toEqual(["Acme|CEO", "Bolt|Intern"]);
  });

  it("resumes from its checkpoint: a rerun sends only what the stopped run had not, without reading again", async () => {
    proxy.calls.length = 0;
    proxy.failFrom = 2;
    const checkpoint = join(root, "warm.checkpoint.json");
    const args = [
      history,
      "--proxy",
      proxy.address,
      "--batch",
      "1",
      "--rate",
      "1000",
      "--checkpoint",
      checkpoint,
    ];
    const stopped = await runWarmCli(args);
    expect(stopped.code).toBe(1);
    expect(stopped.err).toBe(
      `warm: /SeniorityModel/InferSeniority INVALID_ARGUMENT: broken; rerun with --checkpoint ${checkpoint} to resume\n`,
    );
    expect(JSON.parse(readFileSync(checkpoint, "utf8"))).toMatchObject({ planPairs: 4, sent: 2 });
    expect(proxy.sent()).toEqual(PLAN.slice(0, 2));

    proxy.failFrom = Number.POSITIVE_INFINITY;
    const resumed = await runWarmCli(args);
    expect(JSON.parse(resumed.out)).toEqual({
      namespace: "v1:std:m:k2",
      resumed: true,
      planPairs: 4,
      skipped: 2,
      sent: 2,
    });
    expect(proxy.sent()).toEqual(PLAN);
    const again = await runWarmCli(args);
    expect(JSON.parse(again.out)).toMatchObject({ resumed: true, skipped: 4, sent: 0 });
    expect(proxy.sent()).toEqual(PLAN);

    const other = await runWarmCli([...args, "--top", "3"]);
    expect(other).toEqual({
      out: "",
      err: `error: --checkpoint ${checkpoint}: it was written for top 100000, this run has 3; remove it or give another file\n`,
      code: 2,
    });
  });

  it("through a real proxy: pairs it has cached cost the model nothing", async () => {
    const sim = await ModelSim.start({ capacity: 1_000_000 });
    const cache = await startMemoryProxy(sim.address, { modelIdentity: "sim" });
    try {
      const args = [history, "--proxy", cache.server.address, "--rate", "1000"];
      expect(JSON.parse((await runWarmCli(args)).out)).toMatchObject({ namespace: "v1:std:sim:k2", sent: 4 });
      expect(sim.stats().items).toBe(4);
      expect(JSON.parse((await runWarmCli(args)).out)).toMatchObject({ sent: 4 });
      expect(sim.stats().items).toBe(4);
      expect(cache.cache.stats()).toMatchObject({ items: 8, modelItems: 4 });
    } finally {
      await cache.close();
      await sim.close();
    }
  });

  it.each([
    [
      ["--proxy", "P"],
      "error: option '--rate <items/s>' argument '0' is invalid. expected a number in 1..1000000, got 0.\n",
      ["--rate", "0"],
    ],
    [
      ["--proxy", "P"],
      "error: option '--batch <n>' argument '1001' is invalid. expected an integer in 1..1000, got 1001.\n",
      ["--batch", "1001"],
    ],
    [["--proxy", "P"], "error: --counters (10) must be at least --top (100000)\n", ["--counters", "10"]],
    [[], "error: required option '--proxy <host:port>' not specified\n", []],
    [
      ["--proxy", "nowhere"],
      `error: option '--proxy <host:port>' argument 'nowhere' is invalid. expected host:port, https://host:port or dns:///host:port, got "nowhere".\n`,
      [],
    ],
  ])("refuses %j %j", async (base, message, extra) => {
    const args = [history, ...base.map((a) => (a === "P" ? proxy.address : a)), ...extra];
    expect(await runWarmCli(args)).toEqual({ out: "", err: message, code: 2 });
  });

  it("refuses a location that does not exist, and says when the proxy is down", async () => {
    expect(await runWarmCli([join(root, "nope"), "--proxy", proxy.address])).toEqual({
      out: "",
      err: `error: no such file or directory: ${join(root, "nope")}\n`,
      code: 2,
    });
    const down = await runWarmCli([history, "--proxy", "127.0.0.1:1"]);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(
      /^warm: the proxy at 127\.0\.0\.1:1 is not reachable \(health check: UNAVAILABLE/,
    );
  });
});
