import { systemClock, type Clock } from "@seniority/clock";
import type { RedisClient } from "@seniority/redis";
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
  /** The SCAN cursor to resume from (a progress report's `cursor`); default "0" (the start). */
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
 * On a Redis Cluster it runs on the master owning the namespace's slot (namespaceNode); the cursor
 * is that master's (if the slot migrated meanwhile, start again from 0).
 */
export async function retireNamespace(
  redis: RedisClient,
  options: RetireNamespaceOptions,
): Promise<RetireProgress> {
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX, options.namespace);
  const batchSize = checkedInteger("batchSize", options.batchSize ?? DEFAULT_RETIRE_BATCH, 1);
  const pauseMs = checkedInteger("pauseMs", options.pauseMs ?? DEFAULT_RETIRE_PAUSE_MS, 0);
  const clock = options.clock ?? systemClock;
  let cursor = options.cursor ?? "0";
  if (!/^\d+$/.test(cursor)) throw new RangeError(`cursor must be a SCAN cursor (digits), got "${cursor}"`);
  const client = redis instanceof Cluster ? await namespaceNode(redis, keys) : redis;
  if (!options.force && !options.dryRun) await refuseLive(client, keys, options);
  const progress: RetireProgress = { cursor, batches: 0, matched: 0, unlinked: 0, done: false };
  const pattern = keys.namespacePattern();
  do {
    if (progress.batches > 0 && pauseMs > 0) await clock.sleep(pauseMs, options.signal);
    options.signal?.throwIfAborted();
    // Buffers: keys-layout names end in 16 raw bytes, which a string would mangle.
    const [next, found] = await client.scanBuffer(cursor, "MATCH", pattern, "COUNT", batchSize);
    for (let start = 0; start < found.length && !options.dryRun; start += batchSize) {
      progress.unlinked += await client.unlink(...found.slice(start, start + batchSize));
    }
    cursor = next.toString();
    progress.cursor = cursor;
    progress.batches++;
    progress.matched += found.length;
    progress.done = cursor === "0";
    options.onProgress?.({ ...progress });
  } while (cursor !== "0");
  return progress;
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
