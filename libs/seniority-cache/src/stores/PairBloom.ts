import { BloomFilter } from "bloomfilter";
import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import { COMPACT_FIELD_BYTES } from "./RedisKeys.js";

/** The filter's default false positive rate at `expectedPairs` keys (`--bloom-fp-rate`). */
export const DEFAULT_BLOOM_FP_RATE = 0.01;
/** The largest filter the library holds: 2^32 bits (512 MiB). */
export const MAX_BLOOM_BITS = 2 ** 32;

/** A filter's size: bits (a multiple of 32), hash functions, and bytes of memory. */
export interface BloomSizing {
  bits: number;
  hashes: number;
  bytes: number;
}

/**
 * The optimal filter for `expectedPairs` keys at `falsePositiveRate`: m = −n·log2(p)/ln 2 bits and
 * k = m/n·ln 2 hashes (both rounded up) — 9.6 bits and 7 hashes a key at 1%, 24 MB for 20M pairs.
 * Throws a RangeError naming the problem when the inputs are out of range or the filter would
 * pass MAX_BLOOM_BITS.
 */
export function bloomSizing(expectedPairs: number, falsePositiveRate: number): BloomSizing {
  if (!Number.isInteger(expectedPairs) || expectedPairs < 1) {
    throw new RangeError(`expected pairs must be a positive integer, got ${expectedPairs}`);
  }
  if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
    throw new RangeError(`the false positive rate must be in (0, 1), got ${falsePositiveRate}`);
  }
  const raw = Math.ceil((-expectedPairs * Math.log2(falsePositiveRate)) / Math.LN2);
  const bits = Math.ceil(raw / 32) * 32;
  if (bits > MAX_BLOOM_BITS) {
    throw new RangeError(
      `a filter of ${expectedPairs} pairs at ${falsePositiveRate} needs ${bits} bits, over the 2^32 limit`,
    );
  }
  const hashes = Math.max(1, Math.ceil((Math.LN2 * bits) / expectedPairs));
  return { bits, hashes, bytes: bits / 8 };
}

/**
 * A Bloom filter of pair keys (the `bloomfilter` package: a Uint32Array of bits, FNV-1a hashing,
 * no dependencies; ~0.4 µs an add or test here). A pair is filed under pair key bytes 4..12 — the
 * part every store keeps, the Redis compact layout included (its hash field) — so keys read back
 * by a StoreScan of any store land where lookups look. Sharing 64 bits with another pair only
 * makes a false positive (one store read), never a false negative.
 */
export class PairBloom {
  readonly sizing: BloomSizing;
  private readonly filter: BloomFilter;

  constructor(expectedPairs: number, falsePositiveRate = DEFAULT_BLOOM_FP_RATE) {
    this.sizing = bloomSizing(expectedPairs, falsePositiveRate);
    this.filter = new BloomFilter(this.sizing.bits, this.sizing.hashes);
  }

  /** Files a 16-byte pair key, or a scanned 8-byte compact field. */
  add(key: Buffer): void {
    this.filter.add(elementOf(key));
  }

  /** False only if the key was never added. */
  mayHold(key: Buffer): boolean {
    return this.filter.test(elementOf(key));
  }

  /** Share of bits set (0..1): the false positive rate now is about fill^hashes. */
  fill(): number {
    return this.filter.countBits() / this.sizing.bits;
  }
}

function elementOf(key: Buffer): string {
  if (key.length === PAIR_KEY_BYTES) return key.toString("latin1", 4, 4 + COMPACT_FIELD_BYTES);
  if (key.length === COMPACT_FIELD_BYTES) return key.toString("latin1");
  throw new RangeError(
    `a pair key is ${PAIR_KEY_BYTES} bytes (or a ${COMPACT_FIELD_BYTES}-byte field), got ${key.length}`,
  );
}
