import type { ClusterRule } from "./ClusterRule.js";

// Word edges that also hold for non-ASCII letters (JS `\b` knows only [A-Za-z0-9_]).
const B = String.raw`(?<![\p{L}\p{N}])`;
const E = String.raw`(?![\p{L}\p{N}])`;
const words = (alternatives: string): RegExp => new RegExp(`${B}(?:${alternatives})${E}`, "gu");

/** Rank words that may stand alone after a comma ("Engineer, Senior") and belong in front. */
const RANK = "senior|junior|lead|principal|staff|associate";
const ROMAN: Readonly<Record<string, string>> = {
  i: "1",
  ii: "2",
  iii: "3",
  iv: "4",
  v: "5",
  vi: "6",
  vii: "7",
  viii: "8",
  ix: "9",
};
/** A level marker: "ii", "2", "l2", "level 2", "lvl iii" (no "x": too often a name or a brand). */
const LEVEL = String.raw`(?:(?:level|lvl) )?(?:l(?=[1-9]))?(?:${Object.keys(ROMAN).join("|")}|[1-9])`;
const RANK_SEGMENT = new RegExp(`^(?:${RANK})$`, "u");
const LEVEL_SEGMENT = new RegExp(`^${LEVEL}$`, "u");
const SEGMENT = " | ";
/** Parts of a title about the contract or the place, not the level. */
const ARRANGEMENTS =
  "remote|hybrid|on site|onsite|in office|contract|contractor|temporary|temp|freelance|full time|part time";

const VICE_PRESIDENTS: Readonly<Record<string, string>> = {
  vp: "vice president",
  svp: "senior vice president",
  evp: "executive vice president",
  avp: "assistant vice president",
};

/**
 * The canonical title forms of the `cluster` mode, in the order they run (docs/title-clustering.md):
 * punctuation first (so later rules see words and " | " segment separators only), then
 * abbreviations, then word order and level markers. Whatever the table leaves alone keeps its
 * `casefold` form. Rules only ever merge spellings a reader takes for the same title; where a form
 * is ambiguous the rule leaves it alone (a leading "IV" in "IV Nurse" is intravenous, not level 4;
 * "eng" before "manager" is engineering). Changing a rule changes keys: bump CLUSTER_RULES_VERSION.
 */
export const TITLE_CLUSTER_RULES: readonly ClusterRule[] = Object.freeze([
  {
    name: "vp-dots",
    pattern: new RegExp(String.raw`${B}v\. ?p\.?${E}`, "gu"),
    replacement: "vp",
    example: { input: "v.p. of sales", output: "vp of sales" },
  },
  {
    name: "abbreviation-dots",
    // A period ending a word ("sr.", "mgr."), not one inside it ("node.js").
    pattern: /(?<=\p{L})\.(?=[\s,;:|/()[\]-]|$)/gu,
    replacement: "",
    example: { input: "sr. mgr.", output: "sr mgr" },
  },
  {
    name: "quotes",
    pattern: /["“”„«»'’‘`]/gu,
    replacement: "",
    example: { input: 'engineer "rockstar"', output: "engineer rockstar" },
  },
  {
    name: "hyphenated-words",
    pattern: /(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}])/gu,
    replacement: " ",
    example: { input: "full-stack developer", output: "full stack developer" },
  },
  {
    name: "gender-marker",
    // The (m/w/d) of German-speaking postings says who may apply, nothing about the job.
    pattern: /\s?\((?:[mfwdx] ?\/ ?){1,3}[mfwdx]\)|\s?\(all genders\)/gu,
    replacement: "",
    example: { input: "engineer (m/w/d)", output: "engineer" },
  },
  {
    name: "separators",
    // What splits a title into parts (as model-sim reads them too): a spaced dash, , ; : | / ( ) [ ].
    pattern: /(?<=\s)-(?=\s)|[,;:|/()[\]–—]/gu,
    replacement: "|",
    example: { input: "engineer (remote)", output: "engineer |remote|" },
  },
  {
    name: "separator-runs",
    // Starts only where a run of spaces does: a long run not ending in "|" is scanned once, not once a space.
    pattern: /(?<!\s)\s*\|[\s|]*/gu,
    replacement: SEGMENT,
    example: { input: "engineer |remote|", output: "engineer | remote | " },
  },
  {
    name: "separator-ends",
    pattern: /^ \| | \| $/gu,
    replacement: "",
    example: { input: "engineer | remote | ", output: "engineer | remote" },
  },
  {
    name: "whitespace",
    pattern: /^ +| +$|(?<= ) +/gu,
    replacement: "",
    example: { input: " senior  data engineer ", output: "senior data engineer" },
  },
  {
    name: "senior",
    pattern: words("sr|snr"),
    replacement: "senior",
    example: { input: "snr engineer", output: "senior engineer" },
  },
  {
    name: "junior",
    pattern: words("jr|jnr"),
    replacement: "junior",
    example: { input: "jnr developer", output: "junior developer" },
  },
  {
    name: "manager",
    pattern: words("mgr|mngr"),
    replacement: "manager",
    example: { input: "project mgr", output: "project manager" },
  },
  {
    name: "vice-president",
    pattern: words(Object.keys(VICE_PRESIDENTS).join("|")),
    replacement: (match) => VICE_PRESIDENTS[match] ?? match,
    example: { input: "svp sales", output: "senior vice president sales" },
  },
  {
    name: "engineering",
    // "eng" naming a department: after a leader ("vp eng", "head of eng") or before what it runs.
    pattern: new RegExp(
      `(?<=${B}(?:vice president|of|head) )eng${E}|${B}eng(?= (?:manager|lead|director|team)${E})`,
      "gu",
    ),
    replacement: "engineering",
    example: { input: "eng manager", output: "engineering manager" },
  },
  {
    name: "engineer",
    pattern: words("eng|engr"),
    replacement: "engineer",
    example: { input: "software engr", output: "software engineer" },
  },
  {
    name: "developer",
    // Not "dev ops" ("Dev-Ops"): that is DevOps, spelled apart.
    pattern: new RegExp(`${B}dev${E}(?! ops${E})`, "gu"),
    replacement: "developer",
    example: { input: "web dev", output: "web developer" },
  },
  {
    name: "leader-of",
    // "Director, Sales" is "Director of Sales" (but "Director, Senior" is word order, below).
    pattern: new RegExp(`${B}(vice president|director|head) \\| (?!(?:${RANK}|${LEVEL})(?: \\||$))`, "gu"),
    replacement: "$1 of ",
    example: { input: "director | sales", output: "director of sales" },
  },
  {
    name: "vice-president-of",
    pattern: new RegExp(`${B}vice president (?!(?:of|and|for|level|lvl)${E}|[|&+\\p{N}])`, "gu"),
    replacement: "vice president of ",
    example: { input: "vice president engineering", output: "vice president of engineering" },
  },
  {
    name: "arrangement",
    // A part saying only how or where the job is done, never the first part: "Engineer (Remote)".
    pattern: new RegExp(` \\| (?:${ARRANGEMENTS})(?= \\||$)`, "gu"),
    replacement: "",
    example: { input: "engineer | remote | payments", output: "engineer | payments" },
  },
  {
    name: "word-order",
    // Segments right after the first that are only a rank or only a level join it: ranks in front.
    pattern: /^.+$/gu,
    replacement: reorderSegments,
    example: { input: "engineer | senior | payments", output: "senior engineer | payments" },
  },
  {
    name: "level",
    // Only a trailing marker (of the title or of a segment) after a word: "IV Nurse" stays.
    pattern: new RegExp(`(?<=[\\p{L}\\p{N}] )${LEVEL}(?= \\||$)`, "gu"),
    replacement: (match) => {
      const marker = match.slice(match.lastIndexOf(" ") + 1).replace(/^l(?=[1-9])/u, "");
      return ROMAN[marker] ?? marker;
    },
    example: { input: "engineer level iii", output: "engineer 3" },
  },
]);

/** See the "word-order" rule. */
function reorderSegments(title: string): string {
  const segments = title.split(SEGMENT);
  const ranks: string[] = [];
  const levels: string[] = [];
  let next = 1;
  for (; next < segments.length; next++) {
    const segment = segments[next]!;
    if (RANK_SEGMENT.test(segment)) ranks.push(segment);
    else if (LEVEL_SEGMENT.test(segment)) levels.push(segment);
    else break;
  }
  if (next === 1) return title;
  const head = [...ranks, segments[0]!, ...levels].join(" ");
  return [head, ...segments.slice(next)].join(SEGMENT);
}
