import { SeniorityModelDefinition } from "@seniority/proto";
import { ClientError, createChannel, createClient, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@seniority/testkit";
import { SeniorityProcess } from "../support/SeniorityProcess.js";

/** A heap cap small enough that an unbounded (or mis-sized) miss queue runs it out in seconds. */
const HEAP_MIB = 160;
const REQUEST_ITEMS = 1000;

const request = (r: number) => ({
  batch: Array.from({ length: REQUEST_ITEMS }, (_, i) => ({
    uuid: i,
    company: `Heap overload ${r}`,
    title: `Software Engineer ${i}`,
  })),
});

/**
 * The promise "bounded memory": a proxy with a small V8 heap under overload far above the model's
 * capacity (open loop: 100,000 new pairs offered in 10 s to a model serving 1,000/s) keeps
 * running; what its heap cannot queue is refused with RESOURCE_EXHAUSTED, and cached pairs are
 * still answered meanwhile. Real processes: the heap cap is the process's own.
 */
describe("fault: a heap-capped proxy under overload survives", () => {
  let model: SeniorityProcess;
  let cache: SeniorityProcess;
  let cacheAddress: string;
  let modelAddress: string;

  beforeAll(async () => {
    const [modelPort, cachePort] = [await freePort(), await freePort()];
    model = await SeniorityProcess.start([
      "model-sim",
      ...["--port", String(modelPort), "--http-port", "0", "--capacity", "1000"],
    ]);
    modelAddress = `127.0.0.1:${modelPort}`;
    cache = await SeniorityProcess.start(
      [
        "cache",
        ...["--port", String(cachePort), "--http-port", "0", "--store", "memory"],
        ...["--model", modelAddress, "--l1-entries", "20000"],
      ],
      { nodeArgs: [`--max-old-space-size=${HEAP_MIB}`] },
    );
    cacheAddress = `127.0.0.1:${cachePort}`;
  });

  afterAll(async () => {
    await Promise.all([cache?.stop(), model?.stop()]);
  });

  it("refuses a --max-queued its heap cannot hold: exit 2, naming the flag", async () => {
    const { code, stderr } = await SeniorityProcess.run(
      ["cache", "--port", "0", "--http-port", "0", "--store", "memory", "--max-queued", "200000"],
      { nodeArgs: [`--max-old-space-size=${HEAP_MIB}`] },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: --max-queued: 220000 queued items \(both lanes\) need ~430 MB of heap/);
    expect(stderr.split("\n")).toHaveLength(2); // one line
  });

  it("100,000 new pairs in 10 s: RESOURCE_EXHAUSTED for the excess, hits served, the process alive", async () => {
    const channel = createChannel(cacheAddress);
    const client = createClient(SeniorityModelDefinition, channel);
    const hits = { batch: [{ uuid: 7, company: "Heap hits", title: "Chief Executive Officer" }] };
    const [warm] = (await client.inferSeniority(hits)).batch;
    const outcomes: string[] = [];
    const hitAnswers: (number | undefined)[] = [];
    const calls: Promise<void>[] = [];
    const stop = new AbortController();
    try {
      for (let r = 0; r < 100; r++) {
        calls.push(
          client.inferSeniority(request(r), { signal: stop.signal }).then(
            (reply) => void outcomes.push(reply.batch.length === REQUEST_ITEMS ? "OK" : "SHORT"),
            (error: unknown) =>
              void outcomes.push(
                error instanceof ClientError
                  ? `${Status[error.code]}${error.details.includes("(--max-queued)") ? " --max-queued" : ""}`
                  : String(error),
              ),
          ),
        );
        if (r % 10 === 9) {
          hitAnswers.push((await client.inferSeniority(hits)).batch[0]?.seniority);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // What the heap holds is bounded: the queue drains at 1,000/s, refusals settle at once.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(cache.alive, `the proxy died: ${cache.err.slice(-2000)}`).toBe(true);
      const refused = outcomes.filter((o) => o === "RESOURCE_EXHAUSTED --max-queued").length;
      expect(refused).toBeGreaterThan(0); // how many depends on the runtime: the default queue (compact L1 off-heap) is deeper
      expect(outcomes.filter((o) => o !== "OK" && o !== "RESOURCE_EXHAUSTED --max-queued")).toEqual([]);
      expect(hitAnswers).toEqual(Array(10).fill(warm!.seniority));
    } finally {
      stop.abort(); // cancels what is still queued
      await Promise.allSettled(calls);
      channel.close();
    }
    expect(cache.alive).toBe(true);
  }, 120_000);
});
