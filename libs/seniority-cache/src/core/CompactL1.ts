import type { L1Cache } from "./L1Cache.js";
import { assertLevel } from "../stores/StoredLevel.js";

/**
 * Slot index of a pair key from its first three big-endian 32-bit words (signed, as Int32Array
 * holds them; the third without its low 4 bits, which the table keeps for itself).
 */
export type SlotHash = (w0: number, w1: number, w2: number) => number;

export interface CompactL1Options {
  /** Capacity, entries (an integer >= 1). The table is allocated for it up front. */
  maxEntries: number;
  /**
   * Default: the key's first word. Pair keys are MD5 output, so any one word is already uniform;
   * tests inject a constant to force every key onto one probe chain.
   */
  hash?: SlotHash;
}

/**
 * Entries per slot at capacity. Linear probing at load α costs ≈ (1 + 1/(1−α))/2 probes a hit and
 * ≈ (1 + 1/(1−α)²)/2 a miss: 2.5 and 8.5 at 0.75 (2.2 and 6.1 at 0.7), each probe a compare of
 * three Int32s, mostly in one cache line — cheap next to the MD5 of a new pair.
 */
const MAX_LOAD = 0.75;
/** Int32 words a slot holds: the first 92 bits of the pair key, and 4 meta bits in the third word's low bits. */
const WORDS = 3;
/** Meta bits (the third word's low 4): bits 0..2 the level (1..7; 0 = empty slot), bit 3 the CLOCK reference bit. */
const META = 15;
const LEVEL_MASK = 7;
const REFERENCED = 8;
/** Bytes a slot costs: 3 × Int32. */
export const COMPACT_L1_SLOT_BYTES = 4 * WORDS;

/**
 * An L1 in one flat typed array: an open-addressing table (linear probing, backward-shift deletion,
 * no tombstones) of 12-byte slots, each a 92-bit pair-key fingerprint and 4 meta bits (level and
 * reference bit) in the same words, so a lookup touches one slot, mostly one cache line. Eviction
 * is CLOCK (a hit sets the slot's reference bit; the hand clears set bits and evicts the first
 * entry it finds unreferenced, so an entry seen once is the first to go — the long tail of
 * once-seen pairs does not flush the hot set). 12 bytes a slot at ≤ 0.75 load = 16 bytes an entry
 * at capacity, against ~300–500 measured for lru-cache (a Map entry, a hex string and list links a
 * key): 20M entries ≈ 320 MB.
 *
 * The fingerprint is the pair key's first 92 bits (the key is MD5 output: any bits are uniform).
 * Two different pairs share one only if their keys agree on all 92: with n entries the chance that
 * any two do is ≤ n²/2⁹³ = (2·10⁷)²/2⁹³ ≈ 4·10⁻¹⁴ at 20M pairs (the bound asked is 10⁻¹²; the
 * full 128 bits, ~5 more bytes a slot, would only take it to 6·10⁻²⁵). Only then could the table
 * answer for another pair.
 *
 * Single-threaded; every operation is O(1) expected. Keys are the 32-digit hex of a pair key
 * (case-insensitive); anything else is a RangeError, as is a level outside 1..7.
 */
export class CompactL1 implements L1Cache {
  /** Slots in the table (> maxEntries, so a probe always meets an empty slot). */
  readonly slots: number;
  readonly maxEntries: number;
  /** Entries evicted to make room since creation. */
  evictions = 0;
  private readonly words: Int32Array;
  private readonly hash: SlotHash;
  private count = 0;
  private hand = 0;
  // The decoded fingerprint of the current call, w2 without its meta bits (fields: no call allocates).
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;

  constructor(options: CompactL1Options) {
    const { maxEntries } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be an integer >= 1, got ${maxEntries}`);
    }
    this.maxEntries = maxEntries;
    this.slots = Math.max(maxEntries + 1, Math.ceil(maxEntries / MAX_LOAD));
    this.words = new Int32Array(WORDS * this.slots);
    this.hash = options.hash ?? ((w0) => w0);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes the table holds (allocated up front): slots × COMPACT_L1_SLOT_BYTES. */
  get bytes(): number {
    return this.words.byteLength;
  }

  get(hex: string): number | undefined {
    const slot = this.find(hex);
    if (slot < 0) return undefined;
    const at = WORDS * slot + 2;
    const word = this.words[at]!;
    this.words[at] = word | REFERENCED;
    return word & LEVEL_MASK;
  }

  peek(hex: string): number | undefined {
    const slot = this.find(hex);
    return slot < 0 ? undefined : this.words[WORDS * slot + 2]! & LEVEL_MASK;
  }

  set(hex: string, level: number): this {
    assertLevel(level); // 1..7: fits the 3 level bits, and 0 stays "empty"
    let slot = this.find(hex);
    if (slot >= 0) {
      const at = WORDS * slot + 2;
      this.words[at] = (this.words[at]! & ~LEVEL_MASK) | level;
      return this;
    }
    if (this.count >= this.maxEntries) {
      this.evictOne();
      slot = this.find(hex); // the eviction may have shifted this key's probe chain
    }
    const base = WORDS * (-slot - 1);
    this.words[base] = this.w0;
    this.words[base + 1] = this.w1;
    this.words[base + 2] = this.w2 | level; // unreferenced: it must be used again to outlive one sweep of the hand
    this.count++;
    return this;
  }

  delete(hex: string): boolean {
    const slot = this.find(hex);
    if (slot < 0) return false;
    this.removeAt(slot);
    return true;
  }

  /** Empties the table (keeps its memory). */
  clear(): void {
    this.words.fill(0);
    this.count = 0;
    this.hand = 0;
  }

  /** Decodes `hex` into w0..w2; the slot holding it, or -(the empty slot ending its chain) - 1. */
  private find(hex: string): number {
    this.decode(hex);
    const { words, slots, w0, w1, w2 } = this;
    let slot = (this.hash(w0, w1, w2) >>> 0) % slots;
    for (;;) {
      const base = WORDS * slot;
      const third = words[base + 2]!;
      if ((third & META) === 0) return -slot - 1;
      if (words[base] === w0 && words[base + 1] === w1 && (third & ~META) === w2) return slot;
      slot = slot + 1 === slots ? 0 : slot + 1;
    }
  }

  private decode(hex: string): void {
    if (hex.length !== 32) throw new RangeError(`an L1 key is 32 hex digits, got ${JSON.stringify(hex)}`);
    const w0 = word(hex, 0);
    const w1 = word(hex, 8);
    const w2 = word(hex, 16);
    const w3 = word(hex, 24); // not stored (the fingerprint is 92 bits), but a key must be all hex
    // word() gives NaN for a non-hex digit; NaN === NaN is false, so a bad key never matches, and
    // it is refused here before it could be stored.
    if (w0 !== w0 || w1 !== w1 || w2 !== w2 || w3 !== w3) {
      throw new RangeError(`an L1 key is 32 hex digits, got ${JSON.stringify(hex)}`);
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2 & ~META;
  }

  /** CLOCK: clear reference bits from the hand on; evict the first unreferenced entry. */
  private evictOne(): void {
    const { words, slots } = this;
    for (;;) {
      const slot = this.hand;
      const at = WORDS * slot + 2;
      const meta = words[at]! & META;
      if (meta !== 0) {
        if ((meta & REFERENCED) === 0) {
          this.removeAt(slot); // the hand stays: an entry shifted into this slot is looked at next
          this.evictions++;
          return;
        }
        words[at] = words[at]! & ~REFERENCED;
      }
      this.hand = slot + 1 === slots ? 0 : slot + 1;
    }
  }

  /** Backward-shift deletion: pulls later entries of the chain back so no probe meets a false gap. */
  private removeAt(slot: number): void {
    const { words, slots } = this;
    words[WORDS * slot + 2] = 0;
    this.count--;
    let hole = slot;
    let next = slot + 1 === slots ? 0 : slot + 1;
    for (let b = WORDS * next; (words[b + 2]! & META) !== 0; b = WORDS * next) {
      const home = (this.hash(words[b]!, words[b + 1]!, words[b + 2]! & ~META) >>> 0) % slots;
      // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
      if ((next - home + slots) % slots >= (next - hole + slots) % slots) {
        words.copyWithin(WORDS * hole, b, b + WORDS);
        words[b + 2] = 0;
        hole = next;
      }
      next = next + 1 === slots ? 0 : next + 1;
    }
  }
}

/** Hex digit value of every UTF-16 code unit (-1: not a hex digit); a lookup beats branching. */
const NIBBLE = new Int8Array(65_536).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = NIBBLE[65 + i] = 10 + i;

/** The 8 hex digits of `hex` from `at` as a signed 32-bit word; NaN if one is not a hex digit. */
function word(hex: string, at: number): number {
  let w = 0;
  let bad = 0;
  for (let i = at; i < at + 8; i++) {
    const nibble = NIBBLE[hex.charCodeAt(i)]!;
    bad |= nibble; // -1 sets the sign bit
    w = (w << 4) | nibble;
  }
  return bad < 0 ? NaN : w;
}
