import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { BloomGuardedStore, bloomSizing, openStore, PairBloom, type Store } from "@seniority/seniority-cache";

export interface BloomRebuildFigure {
  store: string;
  keys: number;
  rebuildMs: number;
  keysPerSecond: number;
}

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
    ["lmdb", () => openStore(`lmdb:${join(options.dir, "rebuild")}`, { namespace: "rebuild" })],
    [
      "redis-compact",
      () =>
        openStore(options.redisUrl, {
          namespace: "rebuild",
          keyPrefix: "rb-c:",
          expectedPairs: options.keys,
        }),
    ],
    [
      "redis-keys",
      () => openStore(options.redisUrl, { namespace: "rebuild", keyPrefix: "rb-k:", layout: "keys" }),
    ],
  ];
  const rebuilds: BloomRebuildFigure[] = [];
  for (const [name, open] of stores) {
    const filled = await open();
    for (let written = 0; written < options.keys; written += 10_000) {
      const n = Math.min(10_000, options.keys - written);
      await filled.setMany(
        Array.from({ length: n }, (_, i) => ({ key: randomBytes(16), level: (i % 7) + 1 })),
      );
    }
    await filled.close();
    const started = performance.now();
    const guarded = new BloomGuardedStore(await open(), { expectedPairs: options.keys });
    const state = await guarded.whenRebuilt();
    const rebuildMs = performance.now() - started;
    await guarded.close();
    if (state !== "ready") throw new Error(`${name}: the rebuild ended ${state}`);
    rebuilds.push({
      store: name,
      keys: options.keys,
      rebuildMs,
      keysPerSecond: options.keys / (rebuildMs / 1000),
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
