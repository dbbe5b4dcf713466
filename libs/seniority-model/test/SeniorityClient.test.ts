import { createServer, ServerError, Status, type Server, ClientError } from "nice-grpc";
import {
  SeniorityModelDefinition,
  type SeniorityRequestBatch,
  type SeniorityResponseBatch,
  type DeepPartial,
} from "@seniority/proto";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidReplyError } from "../src/validateReply.js";
import { SeniorityClient, type SeniorityClientOptions } from "../src/SeniorityClient.js";

type Handler = (
  request: SeniorityRequestBatch,
  metadata: { priority: string | undefined },
) => Promise<DeepPartial<SeniorityResponseBatch>>;

/** Level = title length mod 7 + 1: deterministic and easy to check. */
const levelOf = (title: string): number => (title.length % 7) + 1;
const answerAll: Handler = async (request) => ({
  batch: request.batch.map((item) => ({ uuid: item.uuid, seniority: levelOf(item.title) })),
});

/** A tiny fake model on a real port (port 0), recording every call. */
async function startFake(handler: Handler): Promise<{
  address: string;
  server: Server;
  calls: SeniorityRequestBatch[];
  priorities: (string | undefined)[];
  maxInFlight: () => number;
}> {
  const calls: SeniorityRequestBatch[] = [];
  const priorities: (string | undefined)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer();
  server.add(SeniorityModelDefinition, {
    async inferSeniority(request, context) {
      calls.push(request);
      const priority = context.metadata.get("x-seniority-priority");
      priorities.push(priority);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await handler(request, { priority });
      } finally {
        inFlight--;
      }
    },
  });
  const port = await server.listen("127.0.0.1:0");
  return { address: `127.0.0.1:${port}`, server, calls, priorities, maxInFlight: () => maxInFlight };
}

const pairs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ company: `c${i % 3}`, title: "t".repeat(i % 11) }));

describe("SeniorityClient", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function setup(handler: Handler, options: Partial<SeniorityClientOptions> = {}) {
    const fake = await startFake(handler);
    const client = new SeniorityClient({
      address: fake.address,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
      ...options,
    });
    cleanups.push(async () => {
      await client.close();
      await fake.server.shutdown();
    });
    return { fake, client };
  }

  it("splits into batches of at most batchSize and answers in request order", async () => {
    const { fake, client } = await setup(answerAll, { lane: "bulk" });
    const input = pairs(2500);
    const levels = await client.resolve(input);
    expect(levels).toEqual(input.map((p) => levelOf(p.title)));
    expect(fake.calls.map((c) => c.batch.length).sort()).toEqual([1000, 1000, 500]);
    expect(fake.calls[0]!.batch[0]).toEqual({ uuid: 1, company: "c0", title: "" });
    expect(fake.priorities).toEqual(["bulk", "bulk", "bulk"]);
  });

  it("sends the interactive priority and honours a smaller batch size", async () => {
    const { fake, client } = await setup(answerAll, { lane: "interactive", batchSize: 2 });
    expect(await client.resolve(pairs(5))).toEqual(pairs(5).map((p) => levelOf(p.title)));
    expect(fake.calls.map((c) => c.batch.length)).toEqual([2, 2, 1]);
    expect(fake.priorities).toEqual(["interactive", "interactive", "interactive"]);
  });

  it("also cuts batches by bytes, a lone oversized pair going alone", async () => {
    const { fake, client } = await setup(answerAll, { maxBatchBytes: 100 });
    const input = [30, 30, 30, 200, 10].map((n, i) => ({ company: "c", title: String(i).repeat(n) }));
    expect(await client.resolve(input)).toEqual(input.map((p) => levelOf(p.title)));
    const titles = fake.calls.map((c) => c.batch.map((item) => item.title[0])).sort();
    expect(titles).toEqual([["0", "1"], ["2"], ["3"], ["4"]]);
  });

  it("makes no call for no pairs", async () => {
    const { fake, client } = await setup(answerAll);
    expect(await client.resolve([])).toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });

  it("keeps at most `concurrency` calls in flight", async () => {
    const slow: Handler = async (request) => {
      await new Promise((r) => setTimeout(r, 20));
      return answerAll(request, { priority: undefined });
    };
    const { fake, client } = await setup(slow, { concurrency: 2, batchSize: 10 });
    await Promise.all([client.resolve(pairs(50)), client.resolve(pairs(30))]);
    expect(fake.calls).toHaveLength(8);
    expect(fake.maxInFlight()).toBe(2);
  });

  it("retries transient codes with backoff, then succeeds", async () => {
    let failures = 0;
    const flaky: Handler = async (request) => {
      const codes = [Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED];
      if (failures < codes.length) throw new ServerError(codes[failures++]!, "busy");
      return answerAll(request, { priority: undefined });
    };
    const retried: number[] = [];
    const { fake, client } = await setup(flaky, { onRetry: (error) => retried.push(error.code) });
    expect(await client.resolve(pairs(3))).toEqual(pairs(3).map((p) => levelOf(p.title)));
    expect(fake.calls).toHaveLength(3);
    expect(retried).toEqual([Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED]);
  });

  it("does not retry a non-transient code", async () => {
    const { fake, client } = await setup(async () => {
      throw new ServerError(Status.INVALID_ARGUMENT, "bad pair");
    });
    const error = await client.resolve(pairs(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe(Status.INVALID_ARGUMENT);
    expect(fake.calls).toHaveLength(1);
  });

  it("gives up after `retries` retries", async () => {
    const { fake, client } = await setup(
      async () => {
        throw new ServerError(Status.UNAVAILABLE, "down");
      },
      { retries: 3 },
    );
    const error = await client.resolve(pairs(1)).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe(Status.UNAVAILABLE);
    expect(fake.calls).toHaveLength(4);
  });

  it("fails with UNAVAILABLE when nothing listens", async () => {
    const { fake } = await setup(answerAll);
    await fake.server.shutdown();
    const client = new SeniorityClient({ address: fake.address, retries: 2, retryBaseDelayMs: 5 });
    const error = await client.resolve(pairs(1)).catch((e: unknown) => e);
    await client.close();
    expect((error as ClientError).code).toBe(Status.UNAVAILABLE);
  });

  it("ends a slow call at the deadline", async () => {
    const { client } = await setup(() => new Promise(() => {}), { deadlineMs: 100, retries: 0 });
    const error = await client.resolve(pairs(1)).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe(Status.DEADLINE_EXCEEDED);
  });

  it.each([
    [{ batch: [{ uuid: 1, seniority: 3 }] }, "uuid 2 was not answered"],
    [
      {
        batch: [
          { uuid: 1, seniority: 3 },
          { uuid: 1, seniority: 3 },
        ],
      },
      "uuid 1 was answered twice",
    ],
    [
      {
        batch: [
          { uuid: 1, seniority: 3 },
          { uuid: 3, seniority: 3 },
        ],
      },
      "uuid 3 was not in the batch of 2",
    ],
    [{ batch: [{ uuid: 1, seniority: 3 }, { seniority: 3 }] }, "uuid 0 was not in the batch of 2"],
    [
      {
        batch: [
          { uuid: 1, seniority: 3 },
          { uuid: 2, seniority: 8 },
        ],
      },
      "level 8 for uuid 2 is outside 1..7",
    ],
    [
      {
        batch: [
          { uuid: 1, seniority: 0 },
          { uuid: 2, seniority: 1 },
        ],
      },
      "level 0 for uuid 1 is outside 1..7",
    ],
  ])("rejects an invalid answer %j", async (response, message) => {
    const { client } = await setup(async () => response);
    const error = await client.resolve(pairs(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidReplyError);
    expect((error as Error).message).toBe(message);
  });

  it("accepts answers in any order", async () => {
    const { client } = await setup(async () => ({
      batch: [
        { uuid: 2, seniority: 5 },
        { uuid: 1, seniority: 4 },
      ],
    }));
    expect(await client.resolve(pairs(2))).toEqual([4, 5]);
  });

  it("stops on abort", async () => {
    const { client } = await setup(() => new Promise(() => {}));
    const controller = new AbortController();
    const pending = client.resolve(pairs(1), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
  });

  it("closes idempotently and refuses work afterwards", async () => {
    const { client } = await setup(answerAll);
    await client.close();
    await client.close();
    await expect(client.resolve(pairs(1))).rejects.toThrow("SeniorityClient is closed");
  });

  it("validates its options", () => {
    expect(() => new SeniorityClient({ address: "127.0.0.1:1", batchSize: 1001 })).toThrow(
      "batchSize must be an integer in 1..1000, got 1001",
    );
    expect(() => new SeniorityClient({ address: "127.0.0.1:1", concurrency: 0 })).toThrow(
      "concurrency must be a positive integer, got 0",
    );
  });
});
