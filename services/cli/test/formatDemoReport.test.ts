import { describe, expect, it } from "vitest";
import type { DemoReport } from "../src/demo/DemoReport.js";
import { displayPath, formatDemoReport } from "../src/demo/formatDemoReport.js";

const report: DemoReport = {
  folders: { root: "/data/demo", raw: "/data/demo/raw", mod: "/data/demo/mod", errors: "/data/demo/errors" },
  store: "memory",
  sample: {
    files: 3,
    lines: 12_345,
    goodLines: 12_222,
    badLines: 123,
    badLinesByKind: {
      not_json: 123,
      truncated: 0,
      not_object: 0,
      missing_company: 0,
      title_not_string: 0,
      garbage: 0,
      invalid_utf8: 0,
      overlong: 0,
    },
    bytes: 2_500_000,
    distinctPairs: 2_001,
    distinctPairsStandard: 1_990,
    distinctPairsCasefold: 1_980,
    reused: false,
    seconds: 0.44,
  },
  model: {
    address: "127.0.0.1:5000",
    capacity: 1000,
    inferences: 1_999,
    batches: 3,
    meanBatchSize: 1_999 / 3,
    duplicateInferences: 0,
  },
  cache: { lookups: 2_100, l1Hits: 101, storeHits: 0, hitRatio: 101 / 2_100 },
  augment: {
    files: 2,
    failedFiles: ["1721184060.jsonl"],
    linesIn: 8_000,
    linesOut: 7_920,
    linesBad: 80,
    pairsRequested: 2_100,
    localCacheHits: 5,
    seconds: 2.345,
    linesPerSecond: 8_000 / 2.345,
  },
  peakRssBytes: 150.4 * 1024 * 1024,
  sampleLine: '{"company": "Acme", "title": "CFO","seniority":7}',
};

describe("formatDemoReport", () => {
  it("prints one labelled line per number, the failed files, and what to do next", () => {
    expect(formatDemoReport(report, "/home/me").split("\n")).toEqual([
      "Seniority demo: the augmenter on embedded defaults (cache in-process on memory, model-sim at 1,000 items/s)",
      "  files           2 (sample generated in 0.4 s)",
      "  lines           8,000 in, 7,920 augmented, 80 bad",
      "  distinct pairs  2,001 (company, title) pairs in the sample",
      "  model           1,999 inferences in 3 batches (mean batch 666.3)",
      "  cache           hit ratio 4.8% (101 of 2,100 pair lookups: 101 L1, 0 store)",
      "  time            2.3 s wall, 3,412 lines/s",
      "  peak memory     150 MB RSS",
      "  output          /data/demo/mod/ (bad lines: /data/demo/errors/)",
      '  sample line     {"company": "Acme", "title": "CFO","seniority":7}',
      "  FAILED          1 files: 1721184060.jsonl",
      "The memory store ends with the process; with --store lmdb:<path> a second run asks the model nothing.",
    ]);
  });

  it("shows paths below the working directory relative to it", () => {
    expect(displayPath("/work/main/.seniority/demo/mod", "/work/main")).toBe("./.seniority/demo/mod/");
    expect(displayPath("/work/other/mod", "/work/main")).toBe("/work/other/mod/");
    expect(displayPath("/work/main", "/work/main")).toBe("./");
  });
});
