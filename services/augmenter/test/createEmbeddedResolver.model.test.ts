import { join } from "node:path";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createEmbeddedResolver } from "../src/cli/createEmbeddedResolver.js";
import { startSimulator } from "./augmentHelpers.js";
import { capturingLogger } from "./capturingLogger.js";
import { listening } from "./listening.js";
import { DISTINCT, PAIRS } from "./samplePairs.js";
import { useScratch } from "./support/useScratch.js";

// A model address instead of the simulator: its answers kept apart from simulated ones (another
// namespace), no sim started, the model left running on close.
describe("createEmbeddedResolver", () => {
  const scratch = useScratch("embedded-resolver-");

  it("keeps simulated answers apart: a real model on the same store is asked every pair again", async () => {
    const store = `lmdb:${join(scratch.root, "cache")}`;
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
    scratch.defer(() => model.close());
    const real = await createEmbeddedResolver({ store, model: model.address, logger: silent });
    scratch.defer(() => real.close());
    expect(real.namespace).toBe("v1:std:m:k2");
    expect(await real.resolve(PAIRS)).toEqual(PAIRS.map((pair) => levelForTitle(pair.title)));
    expect(real.cache.stats()).toMatchObject({ storeHits: 0, modelItems: DISTINCT });
    expect(model.stats()).toMatchObject({ items: DISTINCT });
  });

  it("with a model address calls that model, starts no sim and logs nothing; close() leaves the model running", async () => {
    const model = await ModelSim.start({ capacity: 1_000_000, logger: pino({ level: "silent" }) });
    scratch.defer(() => model.close());
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
});
