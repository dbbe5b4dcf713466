import type { Prng } from "./Prng.js";

/** A pair's two strings. */
export interface PairText {
  company: string;
  title: string;
}

/**
 * Variants of one pair that a reader would call the same (case, spacing, NBSP, full-width
 * letters): what scrapers produce, and what the cache's `standard` / `casefold` key modes merge.
 */
const VARIANTS: readonly ((pair: PairText) => PairText)[] = [
  (p) => ({ company: p.company, title: p.title.toUpperCase() }),
  (p) => ({ company: p.company, title: p.title.toLowerCase() }),
  (p) => ({ company: p.company.toUpperCase(), title: p.title }),
  (p) => ({ company: p.company, title: p.title.replace(" ", "  ") }),
  (p) => ({ company: ` ${p.company} `, title: p.title }),
  (p) => ({ company: p.company, title: `${p.title} ` }),
  (p) => ({ company: p.company, title: p.title.replaceAll(" ", "\u00a0") }),
  (p) => ({
    company: p.company.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    title: p.title,
  }),
];

/** One variant of the pair, chosen by `prng` (seeded per pair, so a pair always gets the same one). */
export function applyNoise(pair: PairText, prng: Prng): PairText {
  return prng.pick(VARIANTS)(pair);
}
