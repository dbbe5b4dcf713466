import { PAIR_KEY_BYTES } from "@seniority/pair-key";

/**
 * Every Redis key name the cache uses is built here, and only here.
 *
 * compact layout: `<prefix>{<ns>}:b<bucketCount>:<bucket>` → hash { <field>: "<level>" }
 *   bucket = uint32be(pairKey[0..4)) mod bucketCount; field = pairKey[4..4+COMPACT_FIELD_BYTES).
 *   The bucket count is part of the name because changing it moves every pair to another bucket.
 * keys layout:    `<prefix>{<ns>}:k:<16 raw key bytes>` → "<level>"
 *
 * Several replicas on one Redis (see RedisCoordination):
 *   `<prefix>{<ns>}:claim:<32 hex>` → id of the replica inferring the pair (expires: PX claimTtlMs)
 *   `<prefix>{<ns>}:pace`           → sorted set of recent model sends, shared by all replicas
 *   `<prefix>{<ns>}:invalidate`     → pub/sub channel of invalidated pair keys
 *   `<prefix>{<ns>}:replicas`       → sorted set of live replicas, score = last heartbeat (ms)
 *   `<prefix>{<ns>}:replicas:synced` → hash replica id → "1" (no unclaimed inference pending) or "0"
 *   `<prefix>{<ns>}:replicas:address` → hash replica id → gRPC address its peers reach it at
 *   `<prefix>{<ns>}:replicas:lag`   → hash replica id → its heartbeat lag baseline (ms)
 * Layout identity: `<prefix>{<ns>}:meta` → hash { buckets: "<compact bucket count>" } (checkCompactLayout)
 *
 * `{<ns>}` is a Redis Cluster hash tag: every key of a namespace lives in one slot, so one pipeline
 * can always serve a request (ioredis refuses cluster pipelines that span nodes). The price is that
 * a namespace is not spread over shards; see RedisStore.
 */

/**
 * Bytes of the pair key stored as a compact-layout field. Two pairs are confused only if they share
 * bucket and field: log2(buckets) + 64 bits. With 2^18 buckets that is 82 bits, so for 20M pairs the
 * chance of any confusion is about n²/2^83 ≈ 4·10⁻¹¹ (6 bytes would be ≈ 3·10⁻⁶ and save ~2 bytes a pair).
 */
export const COMPACT_FIELD_BYTES = 8;

/**
 * Bucket count for the design's 20M pairs (bucketsFor(20M)), and the count of every namespace
 * written before the count could be set (2^18 = 262,144): at the design size of 20M pairs ≈ 76 fields a bucket, and
 * the fullest bucket stays below Redis' `hash-max-listpack-entries` (default 128), so every bucket
 * stays listpack-encoded. Past ~22M pairs some buckets exceed 128 fields and convert to a real hash
 * table (several times the memory): raise the bucket count (a new, empty layout) or the server's
 * `hash-max-listpack-entries`.
 */
export const DEFAULT_BUCKETS = 262_144;

export class RedisKeys {
  private readonly base: string;
  private readonly pairPrefix: Buffer;

  /**
   * @param prefix e.g. "seniority:" (default in openStore); must not contain braces.
   * @param namespace from cacheNamespace(), e.g. "v1:std:m:k2"; must not contain braces.
   */
  constructor(prefix: string, namespace: string) {
    for (const [name, value] of [
      ["key prefix", prefix],
      ["namespace", namespace],
    ] as const) {
      if (/[{}]/.test(value))
        throw new Error(`${name} must not contain "{" or "}": ${JSON.stringify(value)}`);
    }
    if (namespace.length === 0) throw new Error("namespace must not be empty");
    this.base = `${prefix}{${namespace}}`;
    this.pairPrefix = Buffer.from(`${this.base}:k:`);
  }

  /** compact layout: the hash holding `bucket`. */
  bucketKey(bucketCount: number, bucket: number): string {
    return `${this.bucketKeyPrefix(bucketCount)}${bucket}`;
  }

  /** compact layout: what every bucket key of `bucketCount` starts with (the bucket number follows). */
  bucketKeyPrefix(bucketCount: number): string {
    return `${this.base}:b${bucketCount}:`;
  }

  /** compact layout: a SCAN MATCH pattern of every bucket key of `bucketCount`. */
  bucketPattern(bucketCount: number): string {
    return `${escapeGlob(this.bucketKeyPrefix(bucketCount))}*`;
  }

  /** keys layout: a SCAN MATCH pattern of every pair key (check each with pairKeyOf). */
  pairPattern(): string {
    return `${escapeGlob(this.pairPrefix.toString())}*`;
  }

  /** keys layout: the 16-byte pair key a key name holds, or undefined for a name of another shape. */
  pairKeyOf(name: Buffer): Buffer | undefined {
    const prefix = this.pairPrefix;
    if (name.length !== prefix.length + PAIR_KEY_BYTES || !name.subarray(0, prefix.length).equals(prefix))
      return undefined;
    return name.subarray(prefix.length);
  }

  /** The namespace's layout identity (the compact bucket count); see checkCompactLayout. */
  metaKey(): string {
    return `${this.base}:meta`;
  }

  /** keys layout: the string key of one pair. */
  pairKey(key: Buffer): Buffer {
    return Buffer.concat([this.pairPrefix, key]);
  }

  /** The claim of the replica inferring a pair (hex, so `redis-cli` shows it readably). */
  claimKey(key: Buffer): string {
    return `${this.base}:claim:${key.toString("hex")}`;
  }

  /** Shared pacing state: the model's recent sends by every replica. */
  paceKey(): string {
    return `${this.base}:pace`;
  }

  /** Replica presence: every replica's last heartbeat (see presenceScript). */
  replicasKey(): string {
    return `${this.base}:replicas`;
  }

  /** Replica presence: whether each replica is synced (see presenceScript). */
  replicasSyncedKey(): string {
    return `${this.base}:replicas:synced`;
  }

  /** Replica presence: each replica's heartbeat lag baseline, to refuse late beats (see presenceScript). */
  replicasLagKey(): string {
    return `${this.base}:replicas:lag`;
  }

  /** Replica presence: the gRPC address of each replica that peers can reach (see presenceScript). */
  replicasAddressKey(): string {
    return `${this.base}:replicas:address`;
  }

  /** Pub/sub channel on which invalidated pair keys are broadcast to every replica. */
  invalidateChannel(): string {
    return `${this.base}:invalidate`;
  }
}

/** `text` as a literal inside a Redis glob pattern (`*`, `?`, `[`, `]` and `\\` escaped). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/** compact layout: which bucket a 16-byte pair key belongs to. */
export function bucketOf(key: Buffer, bucketCount: number): number {
  return key.readUInt32BE(0) % bucketCount;
}

/** compact layout: the field naming a pair inside its bucket (a view, not a copy). */
export function fieldOf(key: Buffer): Buffer {
  return key.subarray(4, 4 + COMPACT_FIELD_BYTES);
}
