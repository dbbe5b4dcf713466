import { describe, expect, it } from "vitest";
import { applyClusterRule } from "../src/ClusterRule.js";
import { applyClusterRules } from "../src/clusterText.js";
import { normalizeText } from "../src/normalizeText.js";
import { TITLE_CLUSTER_RULES } from "../src/titleClusterRules.js";

const cluster = (title: string) => normalizeText(title, "cluster", "title");
const casefold = (title: string) => normalizeText(title, "casefold");

/**
 * Per rule: raw titles and their cluster form. `merges` need the rule (without it at least the
 * first gets another form); `keeps` are spellings the rule must leave apart from what it merges.
 */
const CASES: Record<string, { merges: [string, string][]; keeps: [string, string][] }> = {
  "vp-dots": {
    merges: [
      ["V.P. of Sales", "vice president of sales"],
      ["V. P. Sales", "vice president of sales"],
    ],
    keeps: [["VPN Engineer", "vpn engineer"]],
  },
  "abbreviation-dots": {
    merges: [
      ["Sr. Engineer", "senior engineer"],
      ["Project Mgr.", "project manager"],
    ],
    keeps: [["Node.js Developer", "node.js developer"]],
  },
  quotes: {
    merges: [
      ['Engineer "Rockstar"', "engineer rockstar"],
      ["Women’s Health Nurse", "womens health nurse"],
    ],
    keeps: [["C# Developer", "c# developer"]],
  },
  "hyphenated-words": {
    merges: [
      ["Full-Stack Developer", "full stack developer"],
      ["Co-Founder", "co founder"],
    ],
    keeps: [["Engineer -- Tools", "engineer -- tools"]],
  },
  "gender-marker": {
    merges: [
      ["Engineer (m/w/d)", "engineer"],
      ["Engineer (f/m/d)", "engineer"],
      ["Engineer (all genders)", "engineer"],
    ],
    keeps: [["Engineer (MWD)", "engineer | mwd"]],
  },
  separators: {
    merges: [
      ["Engineer - Payments", "engineer | payments"],
      ["Engineer / Payments", "engineer | payments"],
      ["Engineer (Payments)", "engineer | payments"],
      ["Engineer – Payments", "engineer | payments"],
    ],
    keeps: [["Engineer & Payments", "engineer & payments"]],
  },
  "separator-runs": {
    merges: [["Engineer; ; Payments", "engineer | payments"]],
    keeps: [["Engineer Payments", "engineer payments"]],
  },
  "separator-ends": {
    merges: [["(Engineer)", "engineer"]],
    keeps: [["Engineer | Payments", "engineer | payments"]],
  },
  whitespace: {
    merges: [['Engineer "" Payments', "engineer payments"]],
    keeps: [["EngineerPayments", "engineerpayments"]],
  },
  senior: {
    merges: [
      ["Sr Engineer", "senior engineer"],
      ["Snr Engineer", "senior engineer"],
    ],
    keeps: [["Srini Engineer", "srini engineer"]],
  },
  junior: {
    merges: [
      ["Jr Analyst", "junior analyst"],
      ["Jnr Analyst", "junior analyst"],
    ],
    keeps: [["Jrn Analyst", "jrn analyst"]],
  },
  manager: {
    merges: [
      ["Project Mgr", "project manager"],
      ["Project Mngr", "project manager"],
    ],
    keeps: [["Mgmt Consultant", "mgmt consultant"]],
  },
  "vice-president": {
    merges: [
      ["VP Marketing", "vice president of marketing"],
      ["SVP Marketing", "senior vice president of marketing"],
      ["EVP Marketing", "executive vice president of marketing"],
      ["AVP Marketing", "assistant vice president of marketing"],
    ],
    keeps: [["VPN Admin", "vpn admin"]],
  },
  engineering: {
    merges: [
      ["VP Eng", "vice president of engineering"],
      ["Head of Eng", "head of engineering"],
      ["Eng Manager", "engineering manager"],
    ],
    keeps: [["Software Eng", "software engineer"]],
  },
  engineer: {
    merges: [
      ["Software Eng", "software engineer"],
      ["Software Engr", "software engineer"],
    ],
    keeps: [["English Teacher", "english teacher"]],
  },
  developer: {
    merges: [["Web Dev", "web developer"]],
    keeps: [
      ["Dev-Ops Engineer", "dev ops engineer"],
      ["DevOps Engineer", "devops engineer"],
    ],
  },
  "leader-of": {
    merges: [
      ["Director, Sales", "director of sales"],
      ["Head - Legal", "head of legal"],
      ["Director, Sales, Senior", "senior director of sales"],
    ],
    keeps: [
      ["Director, Senior", "senior director"],
      ["Partner, Tax", "partner | tax"],
    ],
  },
  "vice-president-of": {
    merges: [["Vice President Engineering", "vice president of engineering"]],
    keeps: [
      ["Vice President and General Manager", "vice president and general manager"],
      ["Vice President", "vice president"],
    ],
  },
  arrangement: {
    merges: [
      ["Engineer (Remote)", "engineer"],
      ["Engineer - Part-Time", "engineer"],
      ["Engineer - Contract, Senior", "senior engineer"],
    ],
    keeps: [
      ["Remote Sensing Engineer", "remote sensing engineer"],
      ["Contract Manager", "contract manager"],
    ],
  },
  "word-order": {
    merges: [
      ["Engineer, Senior", "senior engineer"],
      ["Accountant (Staff)", "staff accountant"],
      ["Engineer, II", "engineer 2"],
      ["Engineer, Senior, Lead - Payments", "senior lead engineer | payments"],
    ],
    keeps: [
      ["Engineer Lead", "engineer lead"],
      ["Engineer - Payments, Senior", "engineer | payments | senior"],
    ],
  },
  level: {
    merges: [
      ["Engineer II", "engineer 2"],
      ["Engineer L2", "engineer 2"],
      ["Engineer Level III", "engineer 3"],
      ["Engineer IV - Payments", "engineer 4 | payments"],
    ],
    keeps: [
      ["IV Nurse", "iv nurse"],
      ["L2 Support Engineer", "l2 support engineer"],
      ["Engineer X", "engineer x"],
    ],
  },
};

describe("TITLE_CLUSTER_RULES", () => {
  it("has unique names, each with cases here", () => {
    const names = TITLE_CLUSTER_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.toSorted()).toEqual(Object.keys(CASES).toSorted());
  });

  describe.each(TITLE_CLUSTER_RULES.map((rule) => [rule.name, rule] as const))("%s", (name, rule) => {
    const { merges, keeps } = CASES[name]!;

    it("turns its example into its output, and leaves the output alone", () => {
      expect(rule.example.input).not.toBe(rule.example.output);
      expect(applyClusterRule(rule, rule.example.input)).toBe(rule.example.output);
      expect(applyClusterRule(rule, rule.example.output)).toBe(rule.example.output);
    });

    it.each(merges)("merges %j as %j, which it needs", (title, form) => {
      expect(cluster(title)).toBe(form);
      const without = TITLE_CLUSTER_RULES.filter((other) => other !== rule);
      expect(applyClusterRules(without, casefold(title))).not.toBe(form);
    });

    it.each(keeps)("keeps %j as %j", (title, form) => {
      expect(cluster(title)).toBe(form);
    });
  });
});
