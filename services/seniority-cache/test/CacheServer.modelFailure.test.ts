import { SeniorityModelDefinition } from "@seniority/proto";
import { createClientFactory } from "nice-grpc";
import { deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import { beforeEach, describe, expect, it } from "vitest";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { grpcError } from "./support/grpcError.js";
import { useStack } from "./support/useStack.js";

// A failing and a slow model, then what the admin API reports. In this order: GetStats counts every
// model item of this file but the failed one (modelItems = model.items − 1).
describe("CacheServer", () => {
  const model = new RecordingModel();
  const stack = useStack({
    model,
    server: { limits: { maxItems: 5, maxFieldBytes: 16 }, maxMessageBytes: 2048 },
  });
  beforeEach(() => {
    model.failing = false;
  });

  it("answers UNAVAILABLE when the model fails, and serves cached pairs meanwhile", async () => {
    await stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Up", title: "CTO" }] });
    model.failing = true;
    expect(
      await grpcError(stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Down", title: "CTO" }] })),
    ).toEqual({ code: "UNAVAILABLE", details: "the seniority model is unavailable: test" });
    const cached = await stack.client.inferSeniority({ batch: [{ uuid: 2, company: "Up", title: "CTO" }] });
    expect(cached.batch).toEqual([{ uuid: 2, seniority: levelOf("CTO") }]);
  });

  it("ends a caller's wait at its deadline; the pair is still inferred and cached", async () => {
    const release = model.hold();
    const client = createClientFactory()
      .use(deadlineMiddleware)
      .create(SeniorityModelDefinition, stack.channel);
    const error = await grpcError(
      client.inferSeniority(
        { batch: [{ uuid: 1, company: "Slow", title: "Chief" }] },
        { deadline: new Date(Date.now() + 50) },
      ),
    ).finally(release);
    expect(error).toEqual({ code: "DEADLINE_EXCEEDED", details: "Deadline exceeded" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stack.cache.lookupCached([{ company: "Slow", title: "Chief" }])).toEqual([
      { level: levelOf("Chief"), tier: "l1" },
    ]);
  });

  it("serves the admin API: Lookup, Invalidate, GetStats", async () => {
    await stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Adm", title: "Lead" }] });
    const lookup = await stack.admin.lookup({
      pairs: [
        { company: "Adm", title: "Lead" },
        { company: "Adm", title: "Nobody" },
      ],
    });
    expect(lookup.results).toEqual([
      { pair: { company: "Adm", title: "Lead" }, seniority: levelOf("Lead"), tier: "l1" },
      { pair: { company: "Adm", title: "Nobody" }, seniority: 0, tier: "" },
    ]);
    expect(await stack.admin.invalidate({ pairs: [{ company: "Adm", title: "Lead" }] })).toEqual({
      removed: 1,
    });
    const stats = await stack.admin.getStats({});
    expect(stats.namespace).toBe("v1:std:m:k2");
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.modelItems).toBe(model.items - 1); // the failed batch is not counted
    expect(
      await grpcError(
        stack.admin.lookup({ pairs: Array.from({ length: 6 }, () => ({ company: "a", title: "b" })) }),
      ),
    ).toEqual({
      code: "INVALID_ARGUMENT",
      details: "too many items: 6; the limit is 5 per request (--max-items)",
    });
  });
});
