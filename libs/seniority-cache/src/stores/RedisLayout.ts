import type { RedisClient } from "@seniority/redis";
import type { StoreEntry } from "./Store.js";

/**
 * How pairs map onto Redis keys and commands. Each method sends its commands in ONE
 * write (a single command or one pipeline), whatever the number of keys: one round trip.
 */
export interface RedisLayout {
  readonly name: "compact" | "keys";
  getMany(client: RedisClient, keys: readonly Buffer[]): Promise<(number | undefined)[]>;
  setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void>;
  deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number>;
  /** StoreScan for this layout: a SCAN over the namespace's keys, in batches of at most `batchSize`. */
  scanKeys(client: RedisClient, batchSize: number): AsyncIterable<Buffer[]>;
  /** Where a pair's answer lives, for Lua scripts: a hash and its field, or a string key (field ""). */
  answerLocation(key: Buffer): AnswerLocation;
}

/** A pair's answer: `HGET key field`, or `GET key` when `field` is "". */
export interface AnswerLocation {
  key: string | Buffer;
  field: Buffer | "";
}
