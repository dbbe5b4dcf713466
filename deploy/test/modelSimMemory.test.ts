import { describe, expect, it } from "vitest";
import { KUBECTL } from "./support/renderKustomization.js";
import { environment, mebibytes, pods, renderedVariant } from "./support/renderedVariants.js";

/** Bytes model-sim keeps per remembered pair (SimStats: a Set of "company\0title" strings). */
const BYTES_PER_PAIR = 100;

describe.skipIf(!KUBECTL)("staging model-sim", () => {
  it("bounds the pairs it remembers to well within its memory limit", () => {
    const objects = renderedVariant("staging");
    const sim = pods(objects)
      .flatMap(({ template }) => template.spec.containers)
      .find((container) => container.args?.[0] === "services/model-sim/dist/main.js");
    expect(sim).toBeDefined();
    const tracked = Number(environment(objects, sim!)["SENIORITY_MODEL_SIM_MAX_TRACKED_PAIRS"]);
    expect(tracked).toBe(2_000_000);
    const limitMiB = mebibytes(sim!.resources!.limits!["memory"]!);
    expect((tracked * BYTES_PER_PAIR) / 1_048_576).toBeLessThanOrEqual(limitMiB / 2);
  });

  it("is the staging cache's model, declared as a simulator (answers in the …:sim namespace)", () => {
    const objects = renderedVariant("staging");
    const cache = pods(objects)
      .flatMap(({ template }) => template.spec.containers)
      .find((container) => container.args?.[0] === "services/seniority-cache/dist/main.js");
    const env = environment(objects, cache!);
    expect(env["SENIORITY_CACHE_MODEL"]).toBe("model-sim:50051");
    expect(env["SENIORITY_CACHE_MODEL_IDENTITY"]).toBe("sim");
  });
});
