import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { BloomGuardedStore, bloomSizing, openStore, PairBloom, type Store } from "@seniority/seniority-cache";
import { median } from "../core/percentile.js";

export interface BloomRebuildFigure {
  store: string;
  keys: number;
  rebuildMs: number;
  keysPerSecond: number;
  /** Median time of one getMany of 1000 pairs never stored / all stored: without, with the filter, ms. */
  freshMs: { without: number; with: number };
  storedMs: { without: number; with: number };
}

const LOOKUP_KEYS = 1000;
const LOOKUP_ROUNDS = 100;

export interface BloomCostFigures {
  rebuilds: BloomRebuildFigure[];
  /** Filter memory at the design's 20M pairs and 1%, bytes. */
  bytesAt20M: number;
  /** One filter test of a pair key, ns (mean over a million). */
  checkNs: number;
}

/**
 * What the filter costs: its rebuild from a real store holding `keys` pairs (LMDB, Redis compact,
 * Redis keys), its memory at the design size, and the CPU of one check.
 */
export async function measureBloomCosts(options: {
  redisUrl: string;
  dir: string;
  keys: number;
  log?: (message: string) => void;
}): Promise<BloomCostFigures> {
  const stores: [string, () => Promise<Store>][] = [
    [
      "lmdb",
      async () => (await openStore(`lmdb:${join(options.dir, "rebuild")}`, { namespace: "rebuild" })).store,
    ],
    [
      "redis-compact",
      async () =>
        (
          await openStore(options.redisUrl, {
            namespace: "rebuild",
            keyPrefix: "rb-c:",
            expectedPairs: options.keys,
          })
        ).store,
    ],
    [
      "redis-keys",
      async () =>
        (await openStore(options.redisUrl, { namespace: "rebuild", keyPrefix: "rb-k:", layout: "keys" }))
          .store,
    ],
  ];
  const rebuilds: BloomRebuildFigure[] = [];
  for (const [name, open] of stores) {
    const filled = await open();
    let stored: Buffer[] = [];
    for (let written = 0; written < options.keys; written += 10_000) {
      stored = Array.from({ length: Math.min(10_000, options.keys - written) }, () => randomBytes(16));
      await filled.setMany(stored.map((key, i) => ({ key, level: (i % 7) + 1 })));
    }
    await filled.close();
    const started = performance.now();
    const guarded = new BloomGuardedStore(await open(), { expectedPairs: options.keys });
    const state = await guarded.whenRebuilt();
    const rebuildMs = performance.now() - started;
    if (state !== "ready") throw new Error(`${name}: the rebuild ended ${state}`);
    const known = stored.slice(0, LOOKUP_KEYS);
    const freshMs = { without: await lookupMs(guarded.inner), with: await lookupMs(guarded) };
    const storedMs = { without: await lookupMs(guarded.inner, known), with: await lookupMs(guarded, known) };
    await guarded.close();
    rebuilds.push({
      store: name,
      keys: options.keys,
      rebuildMs,
      keysPerSecond: options.keys / (rebuildMs / 1000),
      freshMs,
      storedMs,
    });
    options.log?.(`rebuild ${name}: ${options.keys} keys in ${rebuildMs.toFixed(0)} ms`);
  }
  const bloom = new PairBloom(1_000_000);
  const probes = Array.from({ length: 1_000_000 }, () => randomBytes(16));
  for (const key of probes.slice(0, 500_000)) bloom.add(key);
  let positives = 0;
  const started = process.hrtime.bigint();
  for (const key of probes) if (bloom.mayHold(key)) positives++;
  const checkNs = Number(process.hrtime.bigint() - started) / probes.length;
  if (positives < 500_000) throw new Error("a false negative");
  return { rebuilds, bytesAt20M: bloomSizing(20_000_000, 0.01).bytes, checkNs };
}

/** Median ms of one getMany of `keys` (default: 1000 fresh random keys each round). */
async function lookupMs(store: Store, keys?: Buffer[]): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < LOOKUP_ROUNDS; round++) {
    const asked = keys ?? Array.from({ length: LOOKUP_KEYS }, () => randomBytes(16));
    const started = performance.now();
    await store.getMany(asked);
    samples.push(performance.now() - started);
  }
  return median(samples);
}
