import { createChannel, createClient } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";
import { describe, expect, it } from "vitest";
import { askReflection } from "@seniority/testkit";
import { ModelSim } from "../src/ModelSim.js";

// model-sim serves grpc.health.v1 and server reflection (v1 and v1alpha) like the proxy, so the
// same probes, grpcurl and IDE clients work against the stand-in as against the proxy.
describe("model-sim health and reflection", () => {
  it("is SERVING, overall and for SeniorityModel, while up", async () => {
    const sim = await ModelSim.start();
    const channel = createChannel(sim.address);
    const health = createClient(HealthDefinition, channel);
    try {
      expect(await health.check({ service: "" })).toEqual({ status: 1 }); // SERVING
      expect(await health.check({ service: "SeniorityModel" })).toEqual({ status: 1 });
    } finally {
      channel.close();
      await sim.close();
    }
  });

  it.each(["v1", "v1alpha"] as const)("describes SeniorityModel over reflection %s", async (version) => {
    const sim = await ModelSim.start();
    try {
      expect(await askReflection(sim.address, version, "SeniorityModel")).toEqual({
        services: ["SeniorityModel"],
        files: ["seniority_model.proto"],
      });
      expect(await askReflection(sim.address, version, "NoSuchThing")).toEqual({
        services: ["SeniorityModel"],
        files: "Symbol not found: NoSuchThing",
      });
    } finally {
      await sim.close();
    }
  });
});
