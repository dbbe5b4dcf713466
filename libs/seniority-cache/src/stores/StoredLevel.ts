import { MAX_LEVEL, MIN_LEVEL } from "@seniority/seniority-model";

/**
 * Checks a level before it is written; every backend rejects the same values, so a bad
 * model reply can never be cached in one backend and refused by another.
 */
export function assertLevel(level: number): void {
  if (!Number.isInteger(level) || level < MIN_LEVEL || level > MAX_LEVEL) {
    throw new RangeError(`level must be an integer in ${MIN_LEVEL}..${MAX_LEVEL}, got ${String(level)}`);
  }
}

/**
 * Reads a stored level back (a one-digit string in Redis, one byte in LMDB); anything
 * else (foreign data under our prefix, a corrupted value) reads as "no answer" so the pair is
 * simply asked again.
 */
export function decodeLevel(raw: string | number | null | undefined): number | undefined {
  const level = typeof raw === "string" ? Number(raw) : raw;
  if (level === null || level === undefined || !Number.isInteger(level)) return undefined;
  return level >= MIN_LEVEL && level <= MAX_LEVEL ? level : undefined;
}
