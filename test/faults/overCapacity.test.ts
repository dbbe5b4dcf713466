import { SeniorityModelDefinition } from "@seniority/proto";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuHogs } from "../support/CpuHogs.js";
import { freePort } from "@seniority/testkit";
import { SeniorityProcess } from "../support/SeniorityProcess.js";

/**
 * The promise "never above the model's capacity", as the model counts it (items ARRIVING in any
 * 1-second window, model-sim's peakItemsPerSecond), with the proxy and model-sim as real processes
 * competing with CPU hogs: late timers and delayed sends must not bunch two batches into one
 * second. A bound, not a timing: it holds however slow the machine is.
 */
describe("fault: concurrent full requests beside CPU hogs never put the model above capacity", () => {
  let model: SeniorityProcess;
  let cache: SeniorityProcess;
  let hogs: CpuHogs;
  let statsUrl: string;
  let cacheAddress: string;

  beforeAll(async () => {
    const [modelPort, modelHttp, cachePort] = [await freePort(), await freePort(), await freePort()];
    model = await SeniorityProcess.start([
      "model-sim",
      ...["--port", String(modelPort), "--http-port", String(modelHttp), "--capacity", "1000"],
    ]);
    statsUrl = `http://127.0.0.1:${modelHttp}/stats`;
    cache = await SeniorityProcess.start([
      "cache",
      ...["--port", String(cachePort), "--http-port", "0", "--store", "memory"],
      ...["--model", `127.0.0.1:${modelPort}`, "--model-capacity", "1000"],
    ]);
    cacheAddress = `127.0.0.1:${cachePort}`;
    hogs = CpuHogs.start(3);
  });

  afterAll(async () => {
    hogs?.stop();
    await Promise.all([cache?.stop(), model?.stop()]);
  });

  it("8 concurrent 1000-item requests of new pairs: every pair answered, peak ≤ 1000 items/s", async () => {
    const channel = createChannel(cacheAddress);
    const client = createClient(SeniorityModelDefinition, channel);
    try {
      const requests = Array.from({ length: 8 }, (_, r) =>
        client.inferSeniority({
          batch: Array.from({ length: 1000 }, (_, i) => ({
            uuid: i,
            company: `OverCapacity ${r}`,
            title: `Engineer ${i}`,
          })),
        }),
      );
      const replies = await Promise.all(requests);
      expect(replies.map((reply) => reply.batch.length)).toEqual(Array(8).fill(1000));
      const stats = (await (await fetch(statsUrl)).json()) as {
        items: number;
        peakItemsPerSecond: number;
        duplicateInferences: number;
      };
      expect(stats.items).toBe(8000);
      expect(stats.duplicateInferences).toBe(0);
      expect(stats.peakItemsPerSecond).toBeLessThanOrEqual(1000);
    } finally {
      channel.close();
    }
  }, 120_000);
});
