import { ManualClock } from "@seniority/clock";
import { ServerError, Status } from "nice-grpc";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { ModelHop } from "../src/core/ModelHop.js";
import { answerAll, FakeModel } from "./support/FakeModel.js";

const pairs = [
  { company: "Acme", title: "CEO" },
  { company: "Acme", title: "Intern" },
  { company: "Initech", title: "CEO" },
];

describe("ModelHop", () => {
  let model: FakeModel;
  beforeAll(async () => {
    model = await FakeModel.start();
  });
  afterAll(() => model.close());
  beforeEach(() => {
    model.requests.length = 0;
    model.reply = answerAll;
  });

  const client = (options: Partial<Parameters<typeof ModelHop.connect>[0]> = {}) =>
    ModelHop.connect({ address: model.address, retryInitialDelayMs: 1, retryMaxDelayMs: 2, ...options });

  it("sends uuids 1..n with the strings as given and returns levels by uuid", async () => {
    model.reply = (request) => ({
      batch: [...request.batch].reverse().map((item) => ({ uuid: item.uuid, seniority: item.uuid })),
    });
    const c = client();
    expect(await c.resolve(pairs)).toEqual([1, 2, 3]);
    expect(model.requests[0]!.batch).toEqual([
      { uuid: 1, company: "Acme", title: "CEO" },
      { uuid: 2, company: "Acme", title: "Intern" },
      { uuid: 3, company: "Initech", title: "CEO" },
    ]);
    await c.close();
    await c.close();
  });

  it("counts every item sent, resends included, in its peak items per second", async () => {
    const clock = new ManualClock();
    model.reply = (request, call) => {
      if (call < 2) throw new ServerError(Status.UNAVAILABLE, "warming up");
      return answerAll(request, call);
    };
    const c = client({ retries: 2, clock });
    await c.resolve(pairs); // 2 attempts of 3 items, all at t = 0 on the manual clock
    await clock.advance(500);
    await c.resolve(pairs);
    expect(c.takePeakItemsPerSecond()).toBe(9);
    await clock.advance(500); // the first batch's two sends leave the 1 s window
    expect(c.takePeakItemsPerSecond()).toBe(9); // the peak of the period that just ended
    expect(c.takePeakItemsPerSecond()).toBe(3);
    await c.close();
  });

  it("retries transient failures with backoff, pacing each resend", async () => {
    model.reply = (request, call) => {
      if (call < 3) throw new ServerError(Status.UNAVAILABLE, "warming up");
      return answerAll(request, call);
    };
    const resends: number[] = [];
    const c = client({ retries: 2 });
    expect(await c.resolve(pairs, { beforeRetry: async (n) => void resends.push(n) })).toEqual([3, 3, 3]);
    expect(model.requests).toHaveLength(3);
    expect(resends).toEqual([3, 3]);
    await c.close();
  });

  it("gives up after its retries with UNAVAILABLE naming the model's code", async () => {
    model.reply = () => {
      throw new ServerError(Status.RESOURCE_EXHAUSTED, "busy");
    };
    const c = client({ retries: 1 });
    await expect(c.resolve(pairs)).rejects.toEqual(
      new CacheError("UNAVAILABLE", "the seniority model is unavailable: RESOURCE_EXHAUSTED from the model"),
    );
    expect(model.requests).toHaveLength(2);
    await c.close();
  });

  it("does not retry a non-transient code", async () => {
    model.reply = () => {
      throw new ServerError(Status.INVALID_ARGUMENT, "nope");
    };
    const c = client();
    await expect(c.resolve(pairs)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: "the seniority model is unavailable: INVALID_ARGUMENT from the model",
    });
    expect(model.requests).toHaveLength(1);
    await c.close();
  });

  it("ends an attempt at its deadline and retries it", async () => {
    model.reply = async (request, call) => {
      if (call === 1) await new Promise((resolve) => setTimeout(resolve, 500));
      return answerAll(request, call);
    };
    const c = client({ timeoutMs: 50 });
    const started = Date.now();
    expect(await c.resolve(pairs)).toEqual([3, 3, 3]);
    expect(Date.now() - started).toBeLessThan(400);
    expect(model.requests).toHaveLength(2);
    await c.close();
  });

  it.each([
    ["a wrong uuid", [1, 2, 7], [3, 3, 3], "uuid 7 was not in the batch of 3"],
    ["a uuid answered twice", [1, 2, 2], [3, 3, 3], "uuid 2 was answered twice"],
    ["a missing uuid", [1, 3], [3, 3], "uuid 2 was not answered"],
    ["a uuid left at proto3's default 0", [1, 2, 0], [3, 3, 3], "uuid 0 was not in the batch of 3"],
    ["level 9", [1, 2, 3], [3, 9, 3], "level 9 for uuid 2 is outside 1..7"],
    ["level 0", [1, 2, 3], [0, 3, 3], "level 0 for uuid 1 is outside 1..7"],
  ])("rejects a reply with %s, without retrying", async (_name, uuids, levels, reason) => {
    model.reply = () => ({ batch: uuids.map((uuid, i) => ({ uuid, seniority: levels[i]! })) });
    const c = client();
    await expect(c.resolve(pairs)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: `the seniority model is unavailable: invalid reply (${reason}); nothing was cached`,
    });
    expect(model.requests).toHaveLength(1);
    await c.close();
  });

  it("opens the circuit after consecutive failed batches, fails fast, then probes and closes", async () => {
    model.reply = () => {
      throw new ServerError(Status.UNAVAILABLE, "down");
    };
    const c = client({ retries: 0, breakerFailures: 2, breakerHalfOpenAfterMs: 100 });
    await expect(c.resolve(pairs)).rejects.toThrow("UNAVAILABLE from the model");
    await expect(c.resolve(pairs)).rejects.toThrow("UNAVAILABLE from the model");
    expect(c.circuit).toBe("Open");
    await expect(c.resolve(pairs)).rejects.toEqual(
      new CacheError(
        "UNAVAILABLE",
        "the seniority model is unavailable: failing fast: 2 batches in a row failed, the circuit is open",
      ),
    );
    expect(model.requests).toHaveLength(2);
    model.reply = answerAll;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await c.resolve(pairs)).toEqual([3, 3, 3]);
    expect(c.circuit).toBe("Closed");
    await c.close();
  });

  it("fails with UNAVAILABLE when nothing listens at the address", async () => {
    const c = ModelHop.connect({ address: "127.0.0.1:1", retries: 0, timeoutMs: 2000 });
    await expect(c.resolve(pairs)).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: "the seniority model is unavailable: UNAVAILABLE from the model",
    });
    await c.close();
    await expect(c.resolve(pairs)).rejects.toThrow("the model client is closed");
  });
});
