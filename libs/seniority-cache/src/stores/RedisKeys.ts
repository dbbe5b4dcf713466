import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import calculateSlot from "cluster-key-slot";
import { partitionTags } from "./partitionTags.js";

/**
 * Every Redis key name the cache uses is built here, and only here.
 *
 * A namespace's pairs are spread over P partitions (recorded per namespace; see checkRedisLayout),
 * each its own Redis Cluster hash tag `{<tag k>}` (partitionTags: `<ns>:p<n>`, or `<ns>` itself
 * when P = 1, the layout before partitions existed, so such a namespace's key bytes are unchanged):
 *
 * compact layout: `<prefix>{<tag k>}:b<bucketCount>:<bucket>` → hash { <field>: "<level>" }
 *   bucket = uint32be(pairKey[0..4)) mod bucketCount; k = bucket mod P (a bucket lies in one
 *   partition, so there are as many hashes as buckets); field = pairKey[4..4+COMPACT_FIELD_BYTES).
 *   The bucket count is part of the name because changing it moves every pair to another bucket.
 * keys layout:    `<prefix>{<tag k>}:k:<16 raw key bytes>` → "<level>", k = uint32be(pairKey[0..4)) mod P
 *
 * Several replicas on one Redis (see RedisCoordination):
 *   `<prefix>{<tag k>}:claim:<32 hex>` → id of the replica inferring the pair (expires: PX
 *                                    claimTtlMs), in the partition of the pair's answer
 *   `<prefix>{<ns>}:pace`           → sorted set of recent model sends, shared by all replicas
 *   `<prefix>{<ns>}:invalidate`     → pub/sub channel of invalidated pair keys
 *   `<prefix>{<ns>}:replicas`       → sorted set of live replicas, score = last heartbeat (ms)
 *   `<prefix>{<ns>}:replicas:synced` → hash replica id → "1" (no unclaimed inference pending) or "0"
 *   `<prefix>{<ns>}:replicas:address` → hash replica id → gRPC address its peers reach it at
 *   `<prefix>{<ns>}:replicas:lag`   → hash replica id → its heartbeat lag baseline (ms)
 * Layout identity: `<prefix>{<ns>}:meta` → hash { buckets: "<compact bucket count>", partitions: "<P>" }
 *
 * Each script's keys share one slot: a pair's answer and claim share its partition's tag, and the
 * namespace-wide keys (pace, replicas, meta) the tag `{<ns>}`. A request is sent as one call per
 * partition touched, grouped into one pipeline per node (routeCalls).
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
  // guarded by: set once by usePartitions (after the namespace's count was read from Redis)
  private bases: string[] | undefined;
  private slots: number[] = [];
  private pairPrefixes: Buffer[] = [];

  /**
   * @param prefix e.g. "seniority:" (default in openStore); must not contain braces.
   * @param namespace from cacheNamespace(), e.g. "v1:std:m:k2"; must not contain braces.
   */
  constructor(
    private readonly prefix: string,
    private readonly namespace: string,
  ) {
    for (const [name, value] of [
      ["key prefix", prefix],
      ["namespace", namespace],
    ] as const) {
      if (/[{}]/.test(value))
        throw new Error(`${name} must not contain "{" or "}": ${JSON.stringify(value)}`);
    }
    if (namespace.length === 0) throw new Error("namespace must not be empty");
    this.base = `${prefix}{${namespace}}`;
  }

  /** Sets the namespace's partition count (as recorded in Redis); until then pair keys cannot be named. */
  usePartitions(count: number): void {
    const bases = partitionTags(this.namespace, count).map((tag) => `${this.prefix}{${tag}}`);
    this.slots = bases.map((base) => calculateSlot(base));
    this.pairPrefixes = bases.map((base) => Buffer.from(`${base}:k:`));
    this.bases = bases;
  }

  /** The partition count given to usePartitions, or undefined before. */
  get partitions(): number | undefined {
    return this.bases?.length;
  }

  /** The cluster slot of a partition's keys. */
  slotOf(partition: number): number {
    return this.slots[partition]!;
  }

  /** compact layout: the hash holding `bucket` (in partition bucket mod P). */
  bucketKey(bucketCount: number, bucket: number): string {
    const bases = this.partitionBases();
    return `${bases[bucket % bases.length]}:b${bucketCount}:${bucket}`;
  }

  /** compact layout: where `bucket` lived before partitions (P = 1), for the legacy-data sample. */
  unpartitionedBucketKey(bucketCount: number, bucket: number): string {
    return `${this.base}:b${bucketCount}:${bucket}`;
  }

  /** compact layout: a SCAN MATCH pattern of every bucket hash of `bucketCount` buckets. */
  bucketKeyPattern(bucketCount: number): string {
    return `${this.partitionsPattern()}:b${bucketCount}:*`;
  }

  /** keys layout: a SCAN MATCH pattern of every pair's string key. */
  pairKeyPattern(): string {
    return `${this.partitionsPattern()}:k:*`;
  }

  /** keys layout: the pair key named by a string key (of any partition), or undefined for another key. */
  pairKeyOf(name: Buffer): Buffer | undefined {
    const cut = name.length - PAIR_KEY_BYTES;
    if (cut <= 0 || !this.pairPrefixes.some((p) => p.length === cut && name.subarray(0, cut).equals(p))) {
      return undefined;
    }
    return Buffer.from(name.subarray(cut));
  }

  /** A SCAN MATCH pattern of every partition's base: `{ns}` alone, or the `{ns:p…}` tags. */
  private partitionsPattern(): string {
    if (this.partitionBases().length === 1) return globEscape(this.base);
    return `${globEscape(this.prefix)}{${globEscape(this.namespace)}:p*}`;
  }

  /** The namespace's layout identity (the compact bucket count); see checkCompactLayout. */
  metaKey(): string {
    return `${this.base}:meta`;
  }

  /** keys layout: the partition of a pair. */
  keysPartitionOf(key: Buffer): number {
    return key.readUInt32BE(0) % this.partitionBases().length;
  }

  /** keys layout: the string key of one pair. */
  pairKey(key: Buffer): Buffer {
    this.partitionBases();
    return Buffer.concat([this.pairPrefixes[this.keysPartitionOf(key)]!, key]);
  }

  /** The claim of the replica inferring a pair, in `partition` (its answer's); hex, readable in `redis-cli`. */
  claimKey(key: Buffer, partition: number): string {
    return `${this.partitionBases()[partition]}:claim:${key.toString("hex")}`;
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

  private partitionBases(): string[] {
    if (!this.bases) throw new Error("the namespace's partition count is not known yet (layout not checked)");
    return this.bases;
  }
}

/** `text` matched literally by a Redis glob pattern (SCAN MATCH). */
function globEscape(text: string): string {
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
