import { describe, expect, it } from "vitest";
import { DEFAULT_LEVEL, levelForTitle, normalizeTitle } from "../src/levelForTitle.js";

/** Every example in docs/spec.md's table. */
const SPEC_EXAMPLES: readonly [string, number][] = [
  ["Accounting Intern", 1],
  ["Software Engineer Trainee", 1],
  ["Paralegal", 1],
  ["Accounts Receivable Bookkeeper", 2],
  ["Junior Software QA Engineer", 2],
  ["Legal Adviser", 2],
  ["Senior Tax Accountant", 3],
  ["Lead Electrical Engineer", 3],
  ["Attorney", 3],
  ["Account Manager", 4],
  ["Superintendent Engineer", 4],
  ["Lead Lawyer", 4],
  ["Chief of Accountants", 5],
  ["VP Network Engineering", 5],
  ["Head of Legal", 5],
  ["Managing Director Treasury", 6],
  ["Director of Engineering Backend Systems", 6],
  ["Attorney Partner", 6],
  ["CFO", 7],
  ["COO", 7],
  ["CEO", 7],
];

const MORE_EXAMPLES: readonly [string, number][] = [
  // entry words win over everything else
  ["Management Trainee", 1],
  ["Apprentice Electrician", 1],
  ["Summer Interns", 1],
  ["Entry-Level Accountant", 1],
  ["Internal Auditor", 2], // "intern" only as a whole word
  // C-suite
  ["Chief Executive Officer", 7],
  ["Chief Information Security Officer", 7],
  ["Chief Executive", 7],
  ["President", 7],
  ["Co-Founder & CTO", 7],
  ["Chairman of the Board", 7],
  // executives, directors
  ["Senior Vice President, Sales", 6],
  ["EVP Operations", 6],
  ["Director", 6],
  ["Senior Director of Product", 6],
  ["Executive Director", 6],
  ["General Counsel", 6],
  ["Managing Partner", 6],
  ["Partner - Tax", 6],
  ["Partner at Law", 6],
  ["Partner Manager", 4], // partner as an adjective
  ["HR Business Partner", 3],
  ["Vice President of Sales", 5],
  ["Vice-President", 5],
  ["Associate Director, Finance", 5],
  ["Deputy Director", 5],
  ["Head Nurse", 5],
  ["Chief Engineer", 5],
  ["Chief of Staff to the CEO", 5],
  ["General Manager", 5],
  // managers
  ["Senior Manager", 4],
  ["Principal Engineer", 4],
  ["Warehouse Supervisor", 4],
  ["Assistant Manager", 3],
  // roles and rank words
  ["Software Engineer", 2],
  ["Sr. Software Engineer", 3],
  ["Senior Attorney", 4],
  ["Junior Attorney", 2],
  ["Senior Paralegal", 2],
  ["Assistant Accountant", 2],
  ["Legal Assistant", 1],
  ["Assistant to the CEO", 1],
  ["Executive Assistant to the Managing Director", 1],
  ["Team Lead", 3],
  ["Senior Barista", 3],
  ["Junior Barista", 2],
  // nothing recognised
  ["Barista", DEFAULT_LEVEL],
  ["Product Owner", DEFAULT_LEVEL],
  ["", DEFAULT_LEVEL],
  ["Ingénieur Logiciel", DEFAULT_LEVEL],
];

describe("levelForTitle", () => {
  it.each(SPEC_EXAMPLES)("docs/spec.md: %j → %i", (title, level) => {
    expect(levelForTitle(title)).toBe(level);
  });

  it.each(MORE_EXAMPLES)("%j → %i", (title, level) => {
    expect(levelForTitle(title)).toBe(level);
  });

  it("ignores case, surrounding and repeated spaces, and punctuation between words", () => {
    for (const [title, level] of SPEC_EXAMPLES) {
      expect(levelForTitle(title.toUpperCase())).toBe(level);
      expect(levelForTitle(`  ${title.toLowerCase().replaceAll(" ", "   ")}\t`)).toBe(level);
    }
    expect(levelForTitle("C.F.O")).toBe(DEFAULT_LEVEL); // not an acronym once split into letters
  });

  it("matches whole words only", () => {
    expect(levelForTitle("Ceolina Specialist")).toBe(2);
    expect(levelForTitle("Headhunter")).toBe(DEFAULT_LEVEL);
    expect(levelForTitle("Directory Clerk")).toBe(1);
  });

  it("always answers 1..7", () => {
    const words = [
      "senior",
      "junior",
      "lead",
      "assistant",
      "manager",
      "intern",
      "ceo",
      "partner",
      "engineer",
      "x",
    ];
    for (const a of words)
      for (const b of words) {
        const level = levelForTitle(`${a} ${b}`);
        expect(level).toBeGreaterThanOrEqual(1);
        expect(level).toBeLessThanOrEqual(7);
      }
  });
});

describe("normalizeTitle", () => {
  it("lower-cases, marks separators, and drops a 'to the …' tail", () => {
    expect(normalizeTitle("Partner, Tax (EMEA)")).toBe("partner | tax | emea |");
    expect(normalizeTitle("Sr. Vice-President")).toBe("sr vice president");
    expect(normalizeTitle("Assistant to the CEO - Paris")).toBe("assistant | paris");
    expect(normalizeTitle("ＣＥＯ")).toBe("ceo"); // NFKC folds full-width letters
  });
});
