const COMPANIES = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Hooli",
  "Vandelay",
  "Soylent",
  "Tyrell",
];
const SUFFIXES = ["Corp", "Inc", "LLC", "Group", "Labs", "Systems"];
const RANKS = ["", "Junior ", "Senior ", "Lead ", "Head of ", "VP ", "Chief "];
const ROLES = [
  "Data Engineer",
  "Accountant",
  "Software QA Engineer",
  "Lawyer",
  "Network Engineer",
  "Recruiter",
];
const TEAMS = ["Data Flow", "Payments", "Platform", "Legal", "Growth", "Infrastructure"];

export interface Pair {
  company: string;
  title: string;
}

/**
 * `count` distinct (company, title) pairs of realistic length (company ~20, title ~35 bytes),
 * the same for a given seed. For benchmarks whose subject is lookups, not the data's shape.
 */
export function syntheticPairs(count: number, seed = 1): Pair[] {
  let state = seed >>> 0 || 1;
  const pick = <T>(list: readonly T[]): T => {
    // mulberry32: a tiny, well-mixed deterministic PRNG
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return list[((t ^ (t >>> 14)) >>> 0) % list.length]!;
  };
  return Array.from({ length: count }, (_, i) => ({
    company: `${pick(COMPANIES)} ${pick(SUFFIXES)} ${Math.floor(i / 7)}`,
    title: `${pick(RANKS)}${pick(ROLES)} - ${pick(TEAMS)} ${i}`,
  }));
}
