import type { Prng } from "./Prng.js";

const BOARDS = [
  "boards.greenhouse.io",
  "jobs.lever.co",
  "jobs.ashbyhq.com",
  "apply.workable.com",
  "careers.smartrecruiters.com",
] as const;
/** Two hex digits per byte value (number → hex string is slow in V8; a table is ~15× faster). */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The URL path segment for a company: ASCII letters and digits of its name ("" when it has none). */
export function companySlug(company: string): string {
  return company
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 24);
}

/** A posting URL on a job board under the company's slug; ~60–90 ASCII characters, nothing to escape. */
export function buildUrl(prng: Prng, slug: string): string {
  // A 10-digit id from two small integers: formatting doubles above 2^31 is slow.
  const id = `${1000 + prng.int(9000)}${100_000 + prng.int(900_000)}`;
  const t = prng.nextUint32();
  const tracking = HEX[t >>> 24]! + HEX[(t >>> 16) & 255]! + HEX[(t >>> 8) & 255]! + HEX[t & 255]!;
  return `https://${prng.pick(BOARDS)}/${slug || "company"}/jobs/${id}?gh_src=${tracking}`;
}
