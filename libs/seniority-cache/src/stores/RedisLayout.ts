import type { RedisClient } from "@seniority/redis";
import type { StoreEntry } from "./Store.js";
import type { EntriesOptions, EntryKeyForm } from "./StoreEntrySource.js";

/**
 * How pairs map onto Redis keys and commands. Each method sends its commands in ONE
 * write per node (a single command or one pipeline), whatever the number of keys: one round trip
 * on a standalone server, one per node touched (in parallel) on a cluster.
 */
export interface RedisLayout {
  readonly name: "compact" | "keys";
  getMany(client: RedisClient, keys: readonly Buffer[]): Promise<(number | undefined)[]>;
  setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void>;
  deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number>;
  /** StoreScan for this layout: a SCAN over the namespace's keys, in batches of at most `batchSize`. */
  scanKeys(client: RedisClient, batchSize: number): AsyncIterable<Buffer[]>;
  /** What entries() yields as keys (see EntryKeyForm). */
  readonly keyForm: EntryKeyForm;
  /** Every answer of the namespace, in bounded batches (SCAN). */
  entries(client: RedisClient, options?: EntriesOptions): AsyncGenerator<StoreEntry[]>;
  /** The partition (0..P-1, see RedisKeys) holding a pair's answer. */
  partitionOf(key: Buffer): number;
  /** Where a pair's answer lives, for Lua scripts: a hash and its field, or a string key (field ""). */
  answerLocation(key: Buffer): AnswerLocation;
}

/** A pair's answer: `HGET key field`, or `GET key` when `field` is "". */
export interface AnswerLocation {
  key: string | Buffer;
  field: Buffer | "";
  /** The partition of `key` (a claim of the pair goes into the same one: a script's keys share a slot). */
  partition: number;
}
