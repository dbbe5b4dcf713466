import { describe, expect, it } from "vitest";
import { PostingTally } from "../src/PostingTally.js";

const good = (company: string, title: string) => ({ text: "{}", kind: "good" as const, company, title });

describe("PostingTally", () => {
  it("counts distinct pairs exact, under the cache's default `standard` keys, and casefolded", () => {
    const tally = new PostingTally();
    tally.add(good("Acme", "CEO"));
    tally.add(good("Acme", "CEO")); // the same bytes
    tally.add(good("Acme ", "CEO")); // standard trims: the same key as the first
    tally.add(good("Ａｃｍｅ", "CEO")); // fullwidth: NFKC makes it "Acme"
    tally.add(good("ACME", "ceo")); // only casefold merges case
    tally.add(good("Initech", "Intern"));
    tally.add({ text: "not json", kind: "not_json" });
    expect(tally.counts()).toMatchObject({
      lines: 7,
      goodLines: 6,
      distinctPairs: 5,
      distinctPairsStandard: 3,
      distinctPairsCasefold: 2,
    });
  });
});
