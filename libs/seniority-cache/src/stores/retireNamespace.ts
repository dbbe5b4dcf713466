import { systemClock, type Clock } from "@seniority/clock";
import { execPipeline, type RedisClient } from "@seniority/redis";
import calculateSlot from "cluster-key-slot";
import { Cluster, type Redis } from "ioredis";
import { namespaceNode } from "./namespaceNode.js";
import { NamespaceLiveError } from "./NamespaceLiveError.js";
import { RedisKeys } from "./RedisKeys.js";
import { DEFAULT_KEY_PREFIX } from "./RedisStore.js";

export interface RetireNamespaceOptions {
  /** The namespace to drop, e.g. "v1:std:m:k2" (see cacheNamespace). */
  namespace: string;
  /** Default "seniority:". */
  keyPrefix?: string;
  /** SCAN COUNT hint, and the most keys one UNLINK gets (default 1,000). */
  batchSize?: number;
  /** Pause between batches, ms (default 10), so the job leaves Redis time for live traffic. */
  pauseMs?: number;
  /**
   * Where to resume (a progress report's `cursor`); default "0" (the start). A SCAN cursor; on a
   * Redis Cluster "<master>/<cursor>" (masters in port order).
   */
  cursor?: string;
  /** Count the namespace's keys without removing any. */
  dryRun?: boolean;
  /** Retire it even while replicas heartbeat in it (see NamespaceLiveError). */
  force?: boolean;
  /** A replica heartbeat this recent makes the namespace live, ms (default 10,000: presence expiry). */
  liveWindowMs?: number;
  /** Stops after the current batch; the last progress report's cursor resumes the job. */
  signal?: AbortSignal;
  clock?: Clock;
  /** After every batch, and once at the end (`done`). */
  onProgress?: (progress: RetireProgress) => void;
}

export interface RetireProgress {
  /** Where to resume (`cursor` option); "0" once done. */
  cursor: string;
  batches: number;
  /** Keys SCAN returned so far (all of the namespace: it matches nothing else). */
  matched: number;
  /** Keys removed so far (0 in a dry run). */
  unlinked: number;
  done: boolean;
}

export const DEFAULT_RETIRE_BATCH = 1000;
export const DEFAULT_RETIRE_PAUSE_MS = 10;

/**
 * Drops a namespace's keys — an old model version's or normalization's answers, in either layout,
 * with its claims, pacing and presence — by a bounded SCAN + UNLINK loop: `batchSize` keys at a
 * time, `pauseMs` between batches; UNLINK frees the memory in a background thread, so no single
 * command blocks Redis for long. Resumable from any reported cursor (SCAN returns every key present
 * for the whole scan at least once, even across a resume). Refuses (NamespaceLiveError) a namespace
 * a replica heartbeat in within `liveWindowMs`, unless `force`.
 *
 * On a Redis Cluster a namespace's partitions are on every master: each is scanned in turn (port
 * order), the liveness check asks the master of the namespace's own slot (namespaceNode); the
 * cursor names the master (if slots migrated meanwhile, start again from 0).
 */
export async function retireNamespace(
  redis: RedisClient,
  options: RetireNamespaceOptions,
): Promise<RetireProgress> {
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX, options.namespace);
  const batchSize = checkedInteger("batchSize", options.batchSize ?? DEFAULT_RETIRE_BATCH, 1);
  const pauseMs = checkedInteger("pauseMs", options.pauseMs ?? DEFAULT_RETIRE_PAUSE_MS, 0);
  const clock = options.clock ?? systemClock;
  const start = options.cursor ?? "0";
  // A cluster client knows its masters once connected: asking for the namespace's slot connects it.
  const home = redis instanceof Cluster ? await namespaceNode(redis, keys) : redis;
  const nodes = redis instanceof Cluster ? mastersByPort(redis) : [redis];
  let [node, cursor] = parseCursor(start, nodes.length);
  if (!options.force && !options.dryRun) await refuseLive(home, keys, options);
  const progress: RetireProgress = { cursor: start, batches: 0, matched: 0, unlinked: 0, done: false };
  const pattern = keys.namespacePattern();
  for (; node < nodes.length; node++, cursor = "0") {
    const client = nodes[node]!;
    do {
      if (progress.batches > 0 && pauseMs > 0) await clock.sleep(pauseMs, options.signal);
      options.signal?.throwIfAborted();
      // Buffers: keys-layout names end in 16 raw bytes, which a string would mangle.
      const [next, names] = await client.scanBuffer(cursor, "MATCH", pattern, "COUNT", batchSize);
      const found = names.filter((name) => keys.isNamespaceKey(name));
      if (!options.dryRun) progress.unlinked += await unlinkAll(client, found, redis instanceof Cluster);
      cursor = next.toString();
      const last = node === nodes.length - 1;
      progress.cursor =
        nodes.length === 1
          ? cursor
          : cursor === "0" && last
            ? "0"
            : `${cursor === "0" ? node + 1 : node}/${cursor}`;
      progress.batches++;
      progress.matched += found.length;
      progress.done = cursor === "0" && last;
      options.onProgress?.({ ...progress });
    } while (cursor !== "0");
  }
  return progress;
}

/**
 * UNLINKs `names` on `client`, in one command, or on a cluster node one per slot (a command's keys
 * must share a slot there), pipelined. Resolves to how many existed.
 */
async function unlinkAll(client: Redis, names: Buffer[], cluster: boolean): Promise<number> {
  if (names.length === 0) return 0;
  if (!cluster) return client.unlink(...names);
  const bySlot = new Map<number, Buffer[]>();
  for (const name of names) {
    const slot = calculateSlot(name);
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), name]);
  }
  const pipeline = client.pipeline();
  for (const group of bySlot.values()) pipeline.unlink(...group);
  const replies = await execPipeline(pipeline);
  return replies.reduce<number>((sum, removed) => sum + Number(removed), 0);
}

/** The cluster's masters, in port order (so a cursor's master index means the same on a rerun). */
function mastersByPort(cluster: Cluster): Redis[] {
  return cluster.nodes("master").sort((a, b) => (a.options.port ?? 0) - (b.options.port ?? 0));
}

/** [master index, SCAN cursor] of a `cursor` option: "<cursor>", or on a cluster "<master>/<cursor>". */
function parseCursor(cursor: string, masters: number): [number, string] {
  const single = /^\d+$/.test(cursor);
  const clustered = /^(\d+)\/(\d+)$/.exec(cursor);
  if (single && (masters === 1 || cursor === "0")) return [0, cursor];
  if (clustered && masters > 1 && Number(clustered[1]) < masters)
    return [Number(clustered[1]), clustered[2]!];
  const expected = masters === 1 ? "a SCAN cursor (digits)" : `"<master 0..${masters - 1}>/<SCAN cursor>"`;
  throw new RangeError(`cursor must be ${expected}, got "${cursor}"`);
}

/** Throws NamespaceLiveError when a replica heartbeat in the namespace within the live window. */
async function refuseLive(client: Redis, keys: RedisKeys, options: RetireNamespaceOptions): Promise<void> {
  const windowMs = options.liveWindowMs ?? 10_000;
  const [seconds, micros] = await client.time();
  const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const live = await client.zcount(keys.replicasKey(), nowMs - windowMs, "+inf");
  if (live > 0) {
    throw new NamespaceLiveError(
      `namespace "${options.namespace}" is live: ${live} replica(s) heartbeat in it within ` +
        `${windowMs} ms; stop them first, or retire it anyway with --force`,
    );
  }
}

function checkedInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}
