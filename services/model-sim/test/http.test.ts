import { ManualClock } from "@seniority/clock";
import { Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ModelSim } from "../src/ModelSim.js";
import { items, simClient } from "./simClient.js";

describe("ModelSim HTTP port", () => {
  const clock = new ManualClock();
  let sim: ModelSim;
  let client: ReturnType<typeof simClient>;
  let base: string;

  beforeAll(async () => {
    sim = await ModelSim.start({ clock, httpPort: 0 });
    client = simClient(sim.address);
    base = `http://127.0.0.1:${sim.httpPort}`;
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  async function infer(n: number, title = "Engineer"): Promise<void> {
    const call = client.inferSeniority({ batch: items(n, title) });
    await vi.waitFor(() => expect(clock.pending).toBe(1), { interval: 2 });
    await clock.advance(n);
    await call;
  }

  it("serves /stats as JSON and clears it on POST /stats/reset", async () => {
    await infer(4);
    await infer(2);
    const stats = await fetch(`${base}/stats`);
    expect(stats.headers.get("content-type")).toBe("application/json");
    expect(await stats.json()).toEqual({
      batches: 2,
      items: 6,
      distinctPairs: 4,
      duplicateInferences: 2,
      forgottenPairs: 0,
      maxBatchSize: 4,
      peakItemsPerSecond: 6,
      queueDelaySeconds: { total: 0, max: 0 },
      batchSizes: [4, 2],
    });
    const reset = await fetch(`${base}/stats/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ batches: 0, items: 0, batchSizes: [] });
    expect(sim.stats().batches).toBe(0);
  });

  it("serves Prometheus text on /metrics, counters surviving a stats reset", async () => {
    sim.resetStats();
    await infer(3, "CEO");
    await infer(3, "CEO");
    sim.resetStats();
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = (name: string) => text.split("\n").find((l) => l.startsWith(name));
    // The previous test's 6 items are in the counters too: Prometheus counters never go back.
    expect(line("model_sim_batches_total")).toBe('model_sim_batches_total{service="model-sim"} 4');
    expect(line("model_sim_items_total")).toBe('model_sim_items_total{service="model-sim"} 12');
    expect(line("model_sim_duplicate_inferences_total")).toBe(
      'model_sim_duplicate_inferences_total{service="model-sim"} 5',
    );
    expect(line("model_sim_distinct_pairs")).toBe('model_sim_distinct_pairs{service="model-sim"} 0');
    expect(line('model_sim_batch_size_bucket{le="1"')).toBe(
      'model_sim_batch_size_bucket{le="1",service="model-sim"} 0',
    );
    expect(line('model_sim_batch_size_bucket{le="10"')).toBe(
      'model_sim_batch_size_bucket{le="10",service="model-sim"} 4',
    );
    expect(line("model_sim_queue_delay_seconds_count")).toBe(
      'model_sim_queue_delay_seconds_count{service="model-sim"} 4',
    );
    expect(text).toContain("process_cpu_seconds_total");
  });

  it("sets faults with POST /faults and refuses bad ones with 400 and a reason", async () => {
    const set = await fetch(`${base}/faults`, { method: "POST", body: JSON.stringify({ refuseAll: true }) });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ errorRate: 0, latencyMs: 0, refuseAll: true });
    await expect(client.inferSeniority({ batch: items(1) })).rejects.toMatchObject({
      code: Status.UNAVAILABLE,
    });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('model_sim_failed_calls_total{reason="refused",service="model-sim"} 1');

    const bad = await fetch(`${base}/faults`, {
      method: "POST",
      body: '{"latencyMs": -1, "refuseAll": false}',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "latencyMs must be a number ≥ 0, got -1" });
    expect(sim.faults().refuseAll).toBe(true); // nothing changed

    const unknown = await fetch(`${base}/faults`, { method: "POST", body: '{"speed": 1}' });
    expect(await unknown.json()).toEqual({
      error: 'unknown fault "speed" (known: errorRate, latencyMs, refuseAll)',
    });
    expect((await fetch(`${base}/faults`, { method: "POST", body: "{" })).status).toBe(400);

    await fetch(`${base}/faults`, {
      method: "POST",
      body: JSON.stringify({ refuseAll: false, latencyMs: 5 }),
    });
    expect(await (await fetch(`${base}/faults`)).json()).toEqual({
      errorRate: 0,
      latencyMs: 5,
      refuseAll: false,
    });
  });

  it("answers /healthz, /readyz, and 404 elsewhere", async () => {
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()) as unknown).toMatchObject({ ready: true });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/stats`, { method: "DELETE" })).status).toBe(404);
  });
});
