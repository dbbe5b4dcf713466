import { describe, expect, it } from "vitest";
import { applyClusterRule } from "../src/ClusterRule.js";
import { applyClusterRules } from "../src/clusterText.js";
import { COMPANY_CLUSTER_RULES } from "../src/companyClusterRules.js";
import { normalizeText } from "../src/normalizeText.js";

const cluster = (company: string) => normalizeText(company, "cluster", "company");

/** Per rule: names it merges (it is needed for the first of each) and names it keeps apart. */
const CASES: Record<string, { merges: [string, string][]; keeps: [string, string][] }> = {
  "legal-initials": {
    merges: [
      ["Nestlé S.A.", "nestlé sa"],
      ["Acme L.L.C.", "acme llc"],
      ["Acme B.V", "acme bv"],
    ],
    keeps: [["S.A. Holdings", "s.a. holdings"]],
  },
  "legal-period": {
    merges: [
      ["Acme Inc.", "acme inc"],
      ["Acme Corp.", "acme corp"],
    ],
    keeps: [["Inc. Magazine", "inc. magazine"]],
  },
  "legal-comma": {
    merges: [
      ["Acme, Inc.", "acme inc"],
      ["Acme ,LLC", "acme llc"],
    ],
    keeps: [["Smith, Jones", "smith, jones"]],
  },
  "legal-long-form": {
    merges: [
      ["Acme Incorporated", "acme inc"],
      ["Acme Corporation", "acme corp"],
      ["Acme Limited", "acme ltd"],
      ["Ford Motor Company", "ford motor co"],
    ],
    keeps: [
      ["Company", "company"],
      ["Limited Brands Group", "limited brands group"],
    ],
  },
};

describe("COMPANY_CLUSTER_RULES", () => {
  it("has unique names, each with cases here", () => {
    const names = COMPANY_CLUSTER_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.toSorted()).toEqual(Object.keys(CASES).toSorted());
  });

  describe.each(COMPANY_CLUSTER_RULES.map((rule) => [rule.name, rule] as const))("%s", (name, rule) => {
    const { merges, keeps } = CASES[name]!;

    it("turns its example into its output, and leaves the output alone", () => {
      expect(rule.example.input).not.toBe(rule.example.output);
      expect(applyClusterRule(rule, rule.example.input)).toBe(rule.example.output);
      expect(applyClusterRule(rule, rule.example.output)).toBe(rule.example.output);
    });

    it.each(merges)("merges %j as %j, which it needs", (company, form) => {
      expect(cluster(company)).toBe(form);
      const without = COMPANY_CLUSTER_RULES.filter((other) => other !== rule);
      expect(applyClusterRules(without, normalizeText(company, "casefold"))).not.toBe(form);
    });

    it.each(keeps)("keeps %j as %j", (company, form) => {
      expect(cluster(company)).toBe(form);
    });
  });

  it("never drops a legal form or swaps one for another", () => {
    const forms = [
      "Acme",
      "Acme Inc",
      "Acme GmbH",
      "Acme AG",
      "Acme Ltd",
      "Acme LLC",
      "Acme S.A.",
      "Acme Co",
    ];
    expect(new Set(forms.map(cluster)).size).toBe(forms.length);
  });

  it("applies no title rule to a company ('Sr Dev Labs' is a name, not a rank)", () => {
    expect(cluster("Sr Dev Labs")).toBe("sr dev labs");
    expect(normalizeText("Sr Dev Labs", "cluster", "title")).toBe("senior developer labs");
  });
});
