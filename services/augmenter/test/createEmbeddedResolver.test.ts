import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { CacheError } from "@seniority/seniority-cache";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbeddedResolver, type EmbeddedResolver } from "../src/cli/createEmbeddedResolver.js";
import { NO_IN_PROCESS_MODEL_MESSAGE } from "../src/cli/InProcessModel.js";
import { startSimulator } from "./augmentHelpers.js";
import { runAugmenter } from "../src/run/runAugmenter.js";

interface LogLine {
  level: number;
  msg: string;
  model?: string;
}

/** A real pino logger writing into an array, so tests can count and read its lines. */
function capturingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "info" },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** Resolves true when something accepts TCP connections at "host:port". */
function listening(address: string): Promise<boolean> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    Number(address.slice(address.lastIndexOf(":") + 1)),
  ];
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const TITLES = [
  "Accounting Intern",
  "Junior Software QA Engineer",
  "Senior Tax Accountant",
  "Account Manager",
  "Head of Legal",
  "Attorney Partner",
  "CFO",
  "Driver",
];
const COMPANIES = ["Acme Corp", "Globex", "Zoë & Søn"];
/** 24 distinct pairs, each asked twice. */
const PAIRS = [...COMPANIES.flatMap((company) => TITLES.map((title) => ({ company, title })))].flatMap(
  (pair) => [pair, pair],
);
const DISTINCT = COMPANIES.length * TITLES.length;

const simOf = (resolver: EmbeddedResolver): ModelSim => resolver.sim as ModelSim;

describe("createEmbeddedResolver", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "embedded-resolver-"));
    return () => rmSync(root, { recursive: true, force: true });
  });
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("without a model starts model-sim in-process, says so in one line, and persists answers in LMDB", async () => {
    const store = `lmdb:${join(root, "cache")}`;
    const { logger, lines } = capturingLogger();
    const first = await createEmbeddedResolver({
      store,
      model: "sim",
      startSimulator,
      simCapacity: 1_000_000,
      logger,
    });
    closers.push(() => first.close());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: `model-sim started in-process at ${first.modelAddress} (1000000 items/s); levels are simulated`,
      model: first.modelAddress,
    });
    expect(first.modelAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(first.modelAddress).toBe(simOf(first).address);
    expect(first.store).toBe(store);

    const expected = PAIRS.map((pair) => levelForTitle(pair.title));
    expect(await first.resolve(PAIRS)).toEqual(expected);
    expect(simOf(first).stats()).toMatchObject({
      items: DISTINCT,
      distinctPairs: DISTINCT,
      duplicateInferences: 0,
    });
    expect(first.cache.stats()).toMatchObject({ modelItems: DISTINCT, storeKind: "lmdb" });

    const closing = first.close();
    expect(first.close()).toBe(closing);
    await closing;
    await expect(first.resolve(PAIRS)).rejects.toEqual(
      new CacheError("UNAVAILABLE", "the cache is shutting down"),
    );
    expect(await listening(first.modelAddress)).toBe(false);

    // A new process on the same store: every answer comes from LMDB, the new sim is never called.
    const second = await createEmbeddedResolver({
      store,
      model: "sim",
      startSimulator,
      simCapacity: 1_000_000,
      logger,
    });
    closers.push(() => second.close());
    expect(await second.resolve(PAIRS)).toEqual(expected);
    expect(simOf(second).stats().items).toBe(0);
    expect(second.cache.stats()).toMatchObject({ storeHits: DISTINCT, modelItems: 0, modelBatches: 0 });
  });

  it("keeps simulated answers apart: a real model on the same store is asked every pair again", async () => {
    const store = `lmdb:${join(root, "cache")}`;
    const silent = pino({ level: "silent" });
    const simulated = await createEmbeddedResolver({
      store,
      model: "sim",
      startSimulator,
      simCapacity: 1_000_000,
      logger: silent,
    });
    expect(simulated.namespace).toBe("v1:std:sim:k2");
    expect(await simulated.resolve(PAIRS)).toEqual(PAIRS.map((pair) => levelForTitle(pair.title)));
    await simulated.close();

    const model = await ModelSim.start({ capacity: 1_000_000, logger: silent });
    closers.push(() => model.close());
    const real = await createEmbeddedResolver({ store, model: model.address, logger: silent });
    closers.push(() => real.close());
    expect(real.namespace).toBe("v1:std:m:k2");
    expect(await real.resolve(PAIRS)).toEqual(PAIRS.map((pair) => levelForTitle(pair.title)));
    expect(real.cache.stats()).toMatchObject({ storeHits: 0, modelItems: DISTINCT });
    expect(model.stats()).toMatchObject({ items: DISTINCT });
  });

  it("with a model address calls that model, starts no sim and logs nothing; close() leaves the model running", async () => {
    const model = await ModelSim.start({ capacity: 1_000_000, logger: pino({ level: "silent" }) });
    closers.push(() => model.close());
    const { logger, lines } = capturingLogger();
    const resolver = await createEmbeddedResolver({ model: model.address, store: "memory", logger });
    expect(resolver.sim).toBeUndefined();
    expect(resolver.modelAddress).toBe(model.address);
    expect(await resolver.resolve(PAIRS)).toEqual(PAIRS.map((pair) => levelForTitle(pair.title)));
    expect(model.stats()).toMatchObject({ items: DISTINCT, batches: 1 });
    await resolver.close();
    expect(lines).toEqual([]);
    expect(await listening(model.address)).toBe(true);
  });

  it("defaults to the real model's capacity: 1000 new pairs take about a second", async () => {
    const { logger, lines } = capturingLogger();
    const resolver = await createEmbeddedResolver({ store: "memory", model: "sim", startSimulator, logger });
    closers.push(() => resolver.close());
    expect(lines[0]!.msg).toMatch(/\(1000 items\/s\); levels are simulated$/);
    const pairs = Array.from({ length: 1000 }, (_, i) => ({ company: `Company ${i}`, title: "CFO" }));
    const started = performance.now();
    expect(await resolver.resolve(pairs)).toEqual(pairs.map(() => 7));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(simOf(resolver).stats()).toMatchObject({ items: 1000, batches: 1 });
  });

  it("refuses model: sim where no simulator was injected (the augmenter's own container entry)", async () => {
    const { logger, lines } = capturingLogger();
    await expect(createEmbeddedResolver({ store: "memory", model: "sim", logger })).rejects.toThrow(
      NO_IN_PROCESS_MODEL_MESSAGE,
    );
    expect(lines).toHaveLength(0);
  });

  it("closes the sim it started when the store cannot be opened", async () => {
    const { logger, lines } = capturingLogger();
    await expect(
      createEmbeddedResolver({ store: "lmdb:", model: "sim", startSimulator, logger }),
    ).rejects.toThrow('store "lmdb:" needs a path, e.g. lmdb:./.seniority/cache');
    expect(lines).toHaveLength(1);
    expect(await listening(lines[0]!.model!)).toBe(false);
  });

  it("augments a folder end to end (runAugmenter): levels are levelForTitle's, a rerun infers nothing", async () => {
    const raw = join(root, "raw");
    mkdirSync(raw);
    const files: Record<string, string[]> = {};
    for (let f = 0; f < 3; f++) {
      const lines = Array.from({ length: 200 }, (_, i) => {
        if (i % 50 === 7) return `{"company": "Acme Corp", "title": ${i}}`;
        const title = TITLES[(i * 7 + f) % TITLES.length]!;
        const company = COMPANIES[(i + f) % COMPANIES.length]!;
        return JSON.stringify({
          url: `https://jobs.example/${f}/${i}`,
          company,
          title,
          location: "Remote",
          scraped_on: 1721183880 + i,
        });
      });
      files[`${1721183940 + 60 * f}.jsonl`] = lines;
      writeFileSync(join(raw, `${1721183940 + 60 * f}.jsonl`), lines.join("\n") + "\n");
    }
    const store = `lmdb:${join(root, "cache")}`;
    const run = async (): Promise<{
      inferred: number;
      summary: Awaited<ReturnType<typeof runAugmenter>>;
    }> => {
      rmSync(join(root, "mod"), { recursive: true, force: true });
      const resolver = await createEmbeddedResolver({
        store,
        model: "sim",
        startSimulator,
        simCapacity: 1_000_000,
        logger: pino({ level: "silent" }),
      });
      try {
        const summary = await runAugmenter({
          input: new LocalDirObjectStore(raw),
          output: new LocalDirObjectStore(join(root, "mod")),
          errors: new LocalDirObjectStore(join(root, "errors")),
          resolver,
          mode: "once",
          chunkLines: 64,
        });
        return { inferred: simOf(resolver).stats().items, summary };
      } finally {
        await resolver.close();
      }
    };

    const first = await run();
    expect(first.summary).toMatchObject({
      files: { done: 3, failed: 0 },
      lines: { in: 600, out: 588, bad: 12 },
    });
    expect(first.inferred).toBe(DISTINCT);
    for (const [key, lines] of Object.entries(files)) {
      const good = lines.filter((line) => !line.includes('"title": '));
      const expected = good.map(
        (line) =>
          `${line.slice(0, -1)},"seniority":${levelForTitle((JSON.parse(line) as { title: string }).title)}}`,
      );
      expect(readFileSync(join(root, "mod", key), "utf8")).toBe(expected.join("\n") + "\n");
      expect(
        readFileSync(join(root, "errors", key), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(4);
    }

    const second = await run();
    expect(second.summary).toMatchObject({ files: { done: 3 }, lines: { in: 600, out: 588, bad: 12 } });
    expect(second.inferred).toBe(0);
  });
});
