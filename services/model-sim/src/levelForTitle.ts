/**
 * The simulated model's answer: a seniority level 1..7 (docs/spec.md's table) from a job title alone.
 *
 * The company is ignored on purpose: answers are a pure function of the title, so the proxy's and
 * the augmenter's tests can predict every answer without asking the model.
 *
 * How a title is read (case-insensitive, whole words only, after `normalizeTitle`):
 * 1. `ENTRY_RULE` (intern, trainee, apprentice, …) → 1, whatever else the title says.
 * 2. `FIXED_RULES`, first match wins: titles that state their rank outright — C-suite → 7,
 *    director / partner / managing director → 6, VP / head / chief → 5, manager / superintendent → 4.
 * 3. Otherwise a role's base level (`ROLE_BASES`: paralegal 1, general professionals such as
 *    engineer or bookkeeper 2, lawyers 3) shifted by a rank word: senior / lead add one (at most 4),
 *    junior / an "assistant …" prefix cap it at 2. An unknown role counts as a general professional
 *    (2) when a rank word qualifies it.
 * 4. A title with no recognised word at all gets `DEFAULT_LEVEL` (3, the middle of the scale).
 */
export function levelForTitle(title: string): number {
  const text = normalizeTitle(title);
  if (ENTRY_RULE.test(text)) return 1;
  for (const [pattern, level] of FIXED_RULES) {
    if (pattern.test(text)) return level;
  }
  const role = roleBase(text);
  const raised = RAISE_RULE.test(text);
  const capped = CAP_RULE.test(text);
  if (role === undefined && !raised && !capped) return DEFAULT_LEVEL;
  let level = role ?? GENERAL_ROLE_BASE;
  if (raised) level = Math.min(level + 1, MAX_RULE_LEVEL);
  if (capped) level = Math.min(level, 2);
  return level;
}

/** The level of a title with no recognised word: "Associate", the middle of the 1..7 scale. */
export const DEFAULT_LEVEL = 3;

/** Base level of a role not in `ROLE_BASES` when a rank word qualifies it ("Senior Barista" → 3). */
const GENERAL_ROLE_BASE = 2;
/** Rank words alone never reach a management level; those come from `FIXED_RULES`. */
const MAX_RULE_LEVEL = 4;

/** A segment separator kept in the normalized text, so a rule can tell "Partner" from "Partner Manager". */
const SEP = "|";
/** Followed by the end of the title or of a segment ("Attorney Partner", "Partner - Tax"). */
const END = String.raw`(?=\s*(?:\||$))`;

/**
 * Lower case, NFKC; punctuation that separates parts of a title ("Partner, Tax", "CFO - EMEA")
 * becomes `|`; any other non-alphanumeric becomes a space ("Vice-President", "Sr."); a tail
 * "to the …" is dropped ("Assistant to the CEO" is an assistant, not a CEO).
 *
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s[-–—]\s|[,;:|/()[\]&+–—]/g, ` ${SEP} `)
    .replace(/[^\p{L}\p{N}|]+/gu, " ")
    .replace(/\sto\s[^|]*/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const ENTRY_RULE = /\b(?:interns?|internship|trainee|apprentice|apprenticeship|entry level)\b/;

const FIXED_RULES: readonly (readonly [RegExp, number])[] = [
  [/\b(?:ceo|cfo|coo|cto|cio|cmo|cro|cso|cpo|chro|cdo|cco|cxo)\b/, 7],
  [/\bchief\s(?:\S+\s){0,3}officer\b|\bchief executive\b/, 7],
  [/(?<!\bvice )\bpresident\b/, 7],
  [/\b(?:co )?founder\b|\bchair(?:man|woman|person)\b|\bchair of the board\b/, 7],
  [/\bmanaging director\b|\bexecutive director\b|\bgeneral counsel\b/, 6],
  [/\b(?:senior|executive|group) vice president\b|\b(?:svp|evp)\b/, 6],
  [/(?<!\b(?:associate|assistant|deputy) )\bdirector\b/, 6],
  [new RegExp(String.raw`(?<!\bbusiness )\bpartner(?:${END}|\s(?:of|at|in|and|for)\b)`), 6],
  [/\b(?:vp|avp|vice president)\b|\b(?:associate|assistant|deputy) director\b/, 5],
  [/\bhead\b|\bchief\b|\bgeneral manager\b/, 5],
  [/\bassistant manager\b/, 3],
  [/\b(?:manager|mgr|superintendent|supervisor|principal|foreman)\b/, 4],
];

/** senior / lead raise a role by one level. */
const RAISE_RULE = /\b(?:senior|sr|lead)\b/;
/** junior / "assistant <role>" cap a role at 2. */
const CAP_RULE = new RegExp(String.raw`\b(?:junior|jr)\b|\bassistant\b(?!${END})`);

const ROLE_BASES: readonly (readonly [RegExp, number])[] = [
  [/\b(?:attorney|lawyer|counsel|solicitor|barrister|physician|surgeon|architect)s?\b/, 3],
  [
    /\b(?:bookkeeper|adviser|advisor|accountant|auditor|engineer|developer|programmer|analyst|designer|scientist|specialist|technician|consultant|coordinator|representative|administrator|officer|nurse|teacher|tester)s?\b/,
    2,
  ],
  [new RegExp(String.raw`\b(?:paralegal|receptionist|clerk|cashier)s?\b|\bassistant${END}`), 1],
];

/** The highest base among the roles a title names, or undefined when it names none. */
function roleBase(text: string): number | undefined {
  for (const [pattern, level] of ROLE_BASES) {
    if (pattern.test(text)) return level;
  }
  return undefined;
}
