import { hash } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyClusterRule } from "../src/ClusterRule.js";
import { CLUSTER_RULES_VERSION } from "../src/clusterText.js";
import { COMPANY_CLUSTER_RULES } from "../src/companyClusterRules.js";
import { normalizeText } from "../src/normalizeText.js";
import type { PairField } from "../src/PairField.js";
import { pairKey } from "../src/pairKey.js";
import { TITLE_CLUSTER_RULES } from "../src/titleClusterRules.js";

/** Titles made of what the rules act on: abbreviations, ranks, levels, separators, punctuation. */
const token = fc.constantFrom(
  ..."sr snr senior jr mgr vp svp eng dev director head vice president of and engineer sales".split(" "),
  ..."ii iv l2 level 3 x remote contract (m/w/d) , - – / ( ) | . .. \" ' & v.p. full-stack".split(" "),
  "Sr.",
  "VP,",
  "Inc.",
  ", Inc",
  "S.A.",
  "Corporation",
);
const soup = fc
  .array(token, { maxLength: 10 })
  .chain((tokens) =>
    fc
      .array(fc.constantFrom(" ", "", "  "), { minLength: tokens.length, maxLength: tokens.length })
      .map((gaps) => tokens.map((t, i) => gaps[i] + t).join("")),
  );
const field = fc.constantFrom("company", "title") as fc.Arbitrary<PairField>;

describe("the cluster mode", () => {
  it("is idempotent on titles and names made of what its rules act on", () => {
    fc.assert(
      fc.property(soup, field, (text, f) => {
        const once = normalizeText(text, "cluster", f);
        expect(normalizeText(once, "cluster", f)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it("only merges: spellings that meet under casefold meet under cluster", () => {
    fc.assert(
      fc.property(soup, field, (text, f) => {
        expect(normalizeText(text.toUpperCase(), "cluster", f)).toBe(normalizeText(text, "cluster", f));
      }),
      { numRuns: 1000 },
    );
  });

  it("normalizes a megabyte title of spaces, quotes and separators (no pattern rescans a run)", () => {
    // The augmenter's embedded cache takes lines up to 1 MiB: a pattern quadratic in a run of
    // spaces would stall it for minutes on one such title.
    const spaces = `a${' "'.repeat(250_000)} b${" ".repeat(250_000)}c`;
    expect(normalizeText(spaces, "cluster", "title")).toBe("a b c");
    const separators = `engineer${" -".repeat(200_000)} senior`;
    expect(normalizeText(separators, "cluster", "title")).toBe("senior engineer");
    expect(normalizeText(`acme${" ".repeat(500_000)}, inc.`, "cluster", "company")).toBe("acme inc");
  });

  it("keys a pair by its cluster forms: spellings of one title share a key, other titles do not", () => {
    const key = (company: string, title: string) => pairKey(company, title, "cluster").toString("hex");
    const senior = key("Acme, Inc.", "Sr. Software Engineer");
    expect(key("ACME Inc", "Software Engineer, Senior")).toBe(senior);
    expect(key("Acme Incorporated", "senior  software engineer (m/w/d)")).toBe(senior);
    expect(key("Acme Inc", "Software Engineer")).not.toBe(senior);
    expect(key("Acme GmbH", "Senior Software Engineer")).not.toBe(senior);
    expect(key("Acme Inc", "Senior Software Engineer II")).not.toBe(senior);
  });

  it("has the rules CLUSTER_RULES_VERSION names (change a rule: bump the version, then this fingerprint)", () => {
    const rules = [...TITLE_CLUSTER_RULES, ...COMPANY_CLUSTER_RULES];
    // A replacement function is fingerprinted by what it makes of these (not by its source text).
    const probes = [
      ...rules.map((rule) => rule.example.input),
      ...["vp", "svp", "evp", "avp"].map((vp) => `${vp} x`),
      ..."i ii iii iv v vi vii viii ix l1 l9 1 9".split(" ").map((level) => `a ${level}`),
      "a level v",
      "a | lead | staff | lvl 4 | b | senior",
      "x incorporated",
      "x corporation",
      "x limited",
      "x company",
      "x p.l.c.",
      "x s.p.a",
    ];
    const table = rules.map((rule) => [
      rule.name,
      rule.pattern.source,
      rule.pattern.flags,
      typeof rule.replacement === "string"
        ? rule.replacement
        : probes.map((probe) => applyClusterRule(rule, probe)),
      rule.example,
    ]);
    const fingerprint = hash("sha256", JSON.stringify(table), "hex").slice(0, 16);
    expect({ version: CLUSTER_RULES_VERSION, fingerprint }).toEqual({
      version: 1,
      fingerprint: "bc2623f4c967eb21",
    });
  });

  it("is described rule by rule in docs/title-clustering.md, with its namespace tag", () => {
    const doc = readFileSync(new URL("../../../docs/title-clustering.md", import.meta.url), "utf8");
    const missing = [...TITLE_CLUSTER_RULES, ...COMPANY_CLUSTER_RULES]
      .filter((rule) => !new RegExp(`^\\|\\s*\`${rule.name}\`\\s*\\|`, "m").test(doc))
      .map((rule) => rule.name);
    expect(missing).toEqual([]);
    expect(doc).toContain(`:cl${CLUSTER_RULES_VERSION}:`);
  });
});
