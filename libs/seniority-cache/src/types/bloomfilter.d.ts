// The `bloomfilter` package (github.com/jasondavies/bloomfilter.js) ships no types; these are the
// members PairBloom uses, as its source defines them.
declare module "bloomfilter" {
  export class BloomFilter {
    /** `bits` is rounded up to a multiple of 32; at most 2^32. */
    constructor(bits: number, hashes: number);
    /** Bits. */
    readonly m: number;
    /** Hash functions. */
    readonly k: number;
    /** The bits, 32 a word. */
    readonly buckets: Uint32Array;
    /** Hashes the string's UTF-16 code units (FNV-1a 64, then enhanced double hashing). */
    add(value: string): void;
    test(value: string): boolean;
    /** Bits set. */
    countBits(): number;
  }
}
