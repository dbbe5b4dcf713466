import { join } from "node:path";
import { levelForTitle, type ModelSim } from "@seniority/model-sim";
import { CacheError } from "@seniority/seniority-cache";
import { describe, expect, it } from "vitest";
import { createEmbeddedResolver, type EmbeddedResolver } from "../src/cli/createEmbeddedResolver.js";
import { NO_IN_PROCESS_MODEL_MESSAGE } from "../src/cli/InProcessModel.js";
import { startSimulator } from "./augmentHelpers.js";
import { capturingLogger } from "./capturingLogger.js";
import { listening } from "./listening.js";
import { DISTINCT, PAIRS } from "./samplePairs.js";
import { useScratch } from "./support/useScratch.js";

const simOf = (resolver: EmbeddedResolver): ModelSim => resolver.sim as ModelSim;

// The in-process simulator: started and announced in one line, closed with the resolver (or when
// the store cannot be opened), its default capacity the real model's, refused where not injected.
describe("createEmbeddedResolver", () => {
  const scratch = useScratch("embedded-resolver-");

  it("without a model starts model-sim in-process, says so in one line, and persists answers in LMDB", async () => {
    const store = `lmdb:${join(scratch.root, "cache")}`;
    const { logger, lines } = capturingLogger();
    const first = await createEmbeddedResolver({
      store,
      model: "sim",
      startSimulator,
      simCapacity: 1_000_000,
      logger,
    });
    scratch.defer(() => first.close());
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
    scratch.defer(() => second.close());
    expect(await second.resolve(PAIRS)).toEqual(expected);
    expect(simOf(second).stats().items).toBe(0);
    expect(second.cache.stats()).toMatchObject({ storeHits: DISTINCT, modelItems: 0, modelBatches: 0 });
  });

  it("defaults to the real model's capacity: 1000 new pairs take about a second", async () => {
    const { logger, lines } = capturingLogger();
    const resolver = await createEmbeddedResolver({ store: "memory", model: "sim", startSimulator, logger });
    scratch.defer(() => resolver.close());
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
});
