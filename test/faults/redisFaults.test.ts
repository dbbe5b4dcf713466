import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useRedis, waitFor, type RedisServer } from "@seniority/testkit";
import { startReplica, type Replica } from "../support/startReplica.js";

/**
 * Redis faults under two seniority-cache replicas on one real redis-server and one model-sim at the
 * real model's 1,000 items/s. The promises: no call fails, no answer is wrong, the model never gets
 * more than its capacity in any second (with Redis down, up, or coming back), and no pair is
 * inferred twice once Redis is back. Duplicates while Redis is down are counted: without claims
 * each replica infers what it is asked (availability first).
 */

const CAPACITY = 1000;
const CLIENTS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pairOf = (n: number) => ({ company: `Fault Co ${n % 37}`, title: `Fault Analyst ${n}` });

/** waitFor polled every 10 ms. */
const until = (condition: () => boolean, timeoutMs: number, what: string) =>
  waitFor(condition, what, timeoutMs, 10);

describe("Redis faults under two replicas and 20 clients", () => {
  const fixture = useRedis();
  let redis: RedisServer;
  let sim: ModelSim;
  let replicas: Replica[] = [];
  let run = 0;
  beforeAll(async () => {
    redis = fixture.server;
    sim = await ModelSim.start({ capacity: CAPACITY });
  });
  afterAll(async () => {
    await sim?.close();
  });
  afterEach(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    replicas = [];
  });

  async function startReplicas(
    overrides: { storeProbeIntervalMs?: number }[] = [{}, {}],
    peerOwnership = false,
  ): Promise<Replica[]> {
    sim.resetStats();
    run++;
    replicas = await Promise.all(
      overrides.map((override) =>
        startReplica(
          {
            store: redis.url,
            redisKeyPrefix: `faults${run}:`,
            model: sim.address,
            modelCapacity: CAPACITY,
            // model-sim counts arrivals: leave room for the jitter of a loaded 2-core test machine.
            paceMarginMs: 100,
            storeProbeIntervalMs: 100,
            ...override,
          },
          { peerOwnership },
        ),
      ),
    );
    return replicas;
  }

  /**
   * 20 closed-loop clients, alternating between the replicas; each request asks 25 pairs, 15 never
   * asked before and 10 recent ones (so both replicas see the same pairs). Every answer is checked.
   */
  function load(targets: Replica[]) {
    let next = 0;
    let stopped = false;
    const outcome = { requests: 0, failed: 0, wrong: 0, errors: new Set<string>() };
    const started: number[] = [];
    const finished = new Set<number>();
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let r = 0; !stopped; r++) {
        const ids = Array.from({ length: 15 }, () => next++);
        for (let i = 0; i < 10 && next > 100; i++) ids.push(next - 1 - Math.floor(Math.random() * 400));
        const id = started.push(performance.now()) - 1;
        try {
          const reply = await targets[(c + r) % targets.length]!.client.inferSeniority({
            batch: ids.map((n, uuid) => ({ uuid, ...pairOf(n) })),
          });
          reply.batch.forEach(({ uuid, seniority }) => {
            if (seniority !== levelForTitle(pairOf(ids[uuid]!).title)) outcome.wrong++;
          });
          if (reply.batch.length !== ids.length) outcome.wrong++;
        } catch (error) {
          outcome.failed++;
          outcome.errors.add(String(error));
        }
        outcome.requests++;
        finished.add(id);
      }
    });
    return {
      outcome,
      /** Resolves once every request begun before now has finished. */
      async drainBegun(timeoutMs: number) {
        const begun = started.length;
        await until(
          () => Array.from({ length: begun }, (_, i) => i).every((i) => finished.has(i)),
          timeoutMs,
          "requests begun",
        );
      },
      async stop() {
        stopped = true;
        await Promise.all(clients);
        return outcome;
      },
    };
  }

  async function outage(kind: "SIGKILL" | "SIGSTOP", peerOwnership = false) {
    const [a, b] = await startReplicas([{}, {}], peerOwnership);
    const traffic = load([a!, b!]);
    const duplicates = () => sim.stats().duplicateInferences;
    await sleep(1500);
    const before = duplicates();
    if (kind === "SIGKILL") await redis.stop();
    else redis.pause();
    await sleep(3000);
    const down = duplicates();
    if (kind === "SIGKILL") await redis.start();
    else redis.resume();
    await until(() => !a!.cache.degraded && !b!.cache.degraded, 10_000, "both replicas back on Redis");
    const back = duplicates();
    // Requests begun before both replicas were back may still carry pairs taken without a claim.
    await traffic.drainBegun(15_000);
    const settled = duplicates();
    await sleep(3000);
    const outcome = await traffic.stop();
    const stats = sim.stats();
    const figures = {
      kind,
      peerOwnership,
      forwarded: a!.cache.stats().forwardedToPeers + b!.cache.stats().forwardedToPeers,
      requests: outcome.requests,
      modelItems: stats.items,
      peak: stats.peakItemsPerSecond,
      duplicates: {
        beforeOutage: before,
        duringOutage: down - before,
        untilBothBack: back - down,
        untilOutageRequestsDone: settled - back,
        afterRecovery: stats.duplicateInferences - settled,
      },
    };
    console.log(`redis ${kind} figures: ${JSON.stringify(figures)}`);
    expect({ failed: outcome.failed, errors: [...outcome.errors], wrong: outcome.wrong }).toEqual({
      failed: 0,
      errors: [],
      wrong: 0,
    });
    // The promise: capacity, across the outage. (When the shared window counted sends, not
    // arrivals, 2 of 10 runs under load peaked at 1,035-1,050 items/s: a batch delayed past the
    // margin landed in the next second. Now a send counts as arriving until it is answered.)
    expect(stats.peakItemsPerSecond).toBeLessThanOrEqual(CAPACITY);
    expect(figures.duplicates.beforeOutage).toBe(0);
    expect(figures.duplicates.afterRecovery).toBe(0);
    // Bounded: without claims a pair is inferred at most once per replica.
    expect(stats.duplicateInferences).toBeLessThanOrEqual(stats.distinctPairs);
    expect(outcome.requests).toBeGreaterThan(CLIENTS);
    return figures;
  }

  it("SIGKILL and restart: no failed call, no wrong answer, peak within capacity, no duplicate after recovery", async () => {
    await outage("SIGKILL");
  });

  it("SIGSTOP and SIGCONT: no failed call, no wrong answer, peak within capacity, no duplicate after recovery", async () => {
    await outage("SIGSTOP");
  });

  it("with peer ownership (--peer-address), SIGKILL: misses go to the pair's owner, so the outage itself infers few duplicates", async () => {
    const figures = await outage("SIGKILL", true);
    expect(figures.forwarded).toBeGreaterThan(0);
    // Without ownership every pair asked of both replicas while Redis is down is inferred twice.
    expect(figures.duplicates.duringOutage).toBeLessThanOrEqual(150);
  });

  it("with peer ownership, SIGSTOP: the same promises", async () => {
    const figures = await outage("SIGSTOP", true);
    expect(figures.forwarded).toBeGreaterThan(0);
    expect(figures.duplicates.duringOutage).toBeLessThanOrEqual(150);
  });

  it("with peer ownership and Redis down, a pair is inferred once, by its owner; an owner that is down means inferring here", async () => {
    const [a, b] = await startReplicas([{}, {}], true);
    // Both have heartbeaten at least twice (every 250 ms): each knows the other and its address.
    await sleep(600);
    await redis.stop();
    const pairs = (from: number) => Array.from({ length: 100 }, (_, i) => pairOf(from + i));
    const first = pairs(3_000_000);
    expect(await a!.cache.infer(first)).toEqual(first.map((pair) => levelForTitle(pair.title)));
    const forwarded = a!.cache.stats().forwardedToPeers;
    expect(forwarded).toBeGreaterThan(20); // about half are B's
    expect(forwarded).toBeLessThan(80);
    expect(b!.cache.stats()).toMatchObject({ forwardedToPeers: 0, modelItems: forwarded });
    expect(sim.stats()).toMatchObject({ items: 100, duplicateInferences: 0 });
    // B asks for the same pairs: its own are in its L1; A's are asked of A, answered from A's L1.
    expect(await b!.cache.infer(first)).toEqual(first.map((pair) => levelForTitle(pair.title)));
    expect(sim.stats()).toMatchObject({ items: 100, duplicateInferences: 0 });
    await b!.close();
    replicas = [a!];
    const second = pairs(4_000_000);
    expect(await a!.cache.infer(second)).toEqual(second.map((pair) => levelForTitle(pair.title)));
    expect(sim.stats()).toMatchObject({ items: 200, duplicateInferences: 0 });
    await redis.start();
  });

  it("answers one replica inferred alone during an outage are not inferred again by the other after Redis is back", async () => {
    // B probes the store rarely: it is last to replay the answers it buffered during the outage.
    const [a, b] = await startReplicas([{ storeProbeIntervalMs: 50 }, { storeProbeIntervalMs: 5000 }]);
    const pairs = (from: number) => Array.from({ length: 200 }, (_, i) => pairOf(from + i));
    const [onlyA, onlyB] = [pairs(1_000_000), pairs(2_000_000)];
    await redis.stop();
    await Promise.all([a!.cache.infer(onlyA), b!.cache.infer(onlyB)]);
    expect([a!.cache.degraded, b!.cache.degraded]).toEqual([true, true]);
    const outageItems = sim.stats().items;
    expect(outageItems).toBe(400);
    await redis.start();
    await until(() => !a!.cache.degraded, 10_000, "A back on Redis");
    // A asks for the pairs only B inferred (B may not have replayed them yet: A must wait for them).
    const fromA = await a!.cache.infer(onlyB);
    // B, once back itself (until then it cannot read Redis and infers: availability first), asks
    // for A's.
    await until(() => !b!.cache.degraded, 10_000, "B back on Redis");
    const fromB = await b!.cache.infer(onlyA);
    expect(fromA).toEqual(onlyB.map((pair) => levelForTitle(pair.title)));
    expect(fromB).toEqual(onlyA.map((pair) => levelForTitle(pair.title)));
    expect(sim.stats()).toMatchObject({ items: 400, duplicateInferences: 0 });
  });
});
