import { pairKey } from "@seniority/pair-key";
import type { SeniorityPair } from "@seniority/seniority-model";
import { REDIS_CLUSTER_AVAILABLE, useRedisCluster } from "@seniority/testkit";
import { afterAll, describe, expect, it } from "vitest";
import type { ModelBackend } from "../src/core/ModelBackend.js";
import { openSeniorityCache } from "../src/core/openSeniorityCache.js";
import type { SeniorityCache } from "../src/core/SeniorityCache.js";
import { levelOf } from "./support/RecordingModel.js";

// Long claims: a pair claimed before the kill stays claimed; what duplicates there are come from
// the outage of the killed master's partitions (claims unusable there), not from expiry.
const NEW_PER_ROUND = 100;
const OLD_PER_ROUND = 100;
const ROUND_GAP_MS = 40;
const ROUNDS_BEFORE_KILL = 15;
/**
 * After the promotion, how long the replicas may still infer twice: ioredis re-reads the slot map
 * (on the next failed command, then at most every 5 s) and the cache's store probe (every 200 ms
 * here) and peers' heartbeats (stale after 1 s) must see the store back.
 */
const RECOVERY_MS = 8000;
const ROUNDS_AFTER_RECOVERY = 25;

/** The model, in process: a level from the title (checkable), each item's time recorded. */
class TimedModel implements ModelBackend {
  readonly inferred: { key: string; at: number }[] = [];
  async resolve(pairs: readonly SeniorityPair[]): Promise<number[]> {
    const at = Date.now();
    for (const p of pairs)
      this.inferred.push({ key: pairKey(p.company, p.title, "standard").toString("hex"), at });
    return pairs.map((p) => levelOf(p.title));
  }
  async close(): Promise<void> {}
}

const fixture = useRedisCluster();
const caches: SeniorityCache[] = [];
afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
});

describe.skipIf(!REDIS_CLUSTER_AVAILABLE)("failover of a Redis Cluster master under load", () => {
  it("SIGKILL of the master holding the namespace: its replica takes over, 0 failed calls, 0 wrong answers, duplicates only in the failover window", async () => {
    const model = new TimedModel();
    for (let i = 0; i < 2; i++) {
      caches.push(
        await openSeniorityCache({
          store: fixture.cluster.url,
          redisKeyPrefix: "failover:",
          model,
          modelCapacity: 1_000_000,
          maxDelayMs: 2,
          l1Entries: 16, // nearly every repeat is read from the store
          storeProbeIntervalMs: 200,
          claimTtlMs: 60_000,
        }),
      );
    }
    const namespace = caches[0]!.stats().namespace;
    // The master of `{ns}` (pacing, presence, meta) and of a third of the partitions: the hardest one.
    const victim = await fixture.cluster.portServing(`{${namespace}}`);

    const pairs: SeniorityPair[] = [];
    let [calls, failed, wrong] = [0, 0, 0];
    let killedAt = Number.NaN;
    let promotedAt = Number.NaN;
    let promotion: Promise<void> | undefined;
    for (let round = 0; ; round++) {
      const fresh = Array.from({ length: NEW_PER_ROUND }, (_, i) => ({
        company: `Company ${round}`,
        title: `Title ${i} ${"x".repeat(i % 7)}`,
      }));
      const old = Array.from({ length: Math.min(OLD_PER_ROUND, pairs.length) }, () => {
        return pairs[Math.floor(Math.random() * pairs.length)]!;
      });
      pairs.push(...fresh);
      const request = [...fresh, ...old];
      const answers = await Promise.allSettled(caches.map((cache) => cache.infer(request)));
      for (const answer of answers) {
        calls++;
        if (answer.status === "rejected") failed++;
        else wrong += answer.value.filter((level, i) => level !== levelOf(request[i]!.title)).length;
      }
      if (round === ROUNDS_BEFORE_KILL) {
        killedAt = Date.now();
        await fixture.cluster.kill(victim);
        promotion = fixture.cluster.waitUntilHealthy(3, { without: victim }).then(() => {
          promotedAt = Date.now();
        });
      }
      if (
        !Number.isNaN(promotedAt) &&
        Date.now() > promotedAt + RECOVERY_MS + ROUNDS_AFTER_RECOVERY * ROUND_GAP_MS
      )
        break;
      await new Promise((r) => setTimeout(r, ROUND_GAP_MS));
    }
    await promotion;

    const seen = new Set<string>();
    const duplicates: number[] = [];
    for (const { key, at } of model.inferred) {
      if (seen.has(key)) duplicates.push(at);
      seen.add(key);
    }
    const late = duplicates.filter((at) => at > promotedAt + RECOVERY_MS);
    console.log(
      `failover: master :${victim} killed; replica promoted after ${promotedAt - killedAt} ms; ` +
        `${calls} calls, ${failed} failed, ${wrong} wrong answers; ${seen.size} distinct pairs, ` +
        `${model.inferred.length} model items, ${duplicates.length} duplicate inferences, all between ` +
        `${duplicates.length ? Math.min(...duplicates) - killedAt : 0} and ` +
        `${duplicates.length ? Math.max(...duplicates) - killedAt : 0} ms after the kill`,
    );
    expect(failed).toBe(0);
    expect(wrong).toBe(0);
    expect(seen.size).toBe(pairs.length);
    expect(duplicates.filter((at) => at < killedAt)).toEqual([]);
    expect(late).toEqual([]);
    expect(await fixture.cluster.masterPorts()).not.toContain(victim);
    // Back to normal: both replicas use the store again, the writes buffered meanwhile flushed.
    for (const cache of caches)
      expect(cache.stats()).toMatchObject({ storeDegraded: false, bufferedWrites: 0 });
  }, 120_000);
});
