import { describe, expect, it } from "vitest";
import { defaultErrorsLocation, splitFileUri } from "../src/cli/locations.js";
import { parseAugment } from "./support/parseAugment.js";

/** A complete `--once` run's flags, and the same through a proxy: each case adds its one problem. */
const ONCE = ["--once", "--input", "/tmp/x", "--output", "/tmp/y"];
const PROXIED = [...ONCE, "--proxy", "127.0.0.1:1"];

describe("seniority augment: usage", () => {
  it.each([
    [["--output", "/tmp/x"], "error: give exactly one of --once, --watch, --backfill-pending or a file URI"],
    [
      ["--once", "--watch", "--input", "/tmp/x", "--output", "/tmp/y"],
      "error: give exactly one of --once, --watch, --backfill-pending or a file URI",
    ],
    [["--once", "--input", "/tmp/x"], "error: --output is required"],
    [
      ["--watch", "--output", "/tmp/x"],
      "error: --input is required with --once, --watch and --backfill-pending",
    ],
    [
      ["--once", "--backfill-pending", "--input", "/tmp/x", "--output", "/tmp/y"],
      "error: give exactly one of --once, --watch, --backfill-pending or a file URI",
    ],
    [[...PROXIED, "--rare-window", "1h"], "error: --rare-window needs --rare-pairs defer"],
    [
      [...ONCE, "--rare-pairs", "off", "--rare-min-count", "3"],
      "error: --rare-min-count needs --rare-pairs defer",
    ],
    [
      ["--once", "--rare-pairs", "later"],
      "error: option '--rare-pairs <policy>' argument 'later' is invalid. expected one of off, defer, got \"later\".",
    ],
    [
      ["--once", "--rare-min-count", "1"],
      "error: option '--rare-min-count <n>' argument '1' is invalid. expected an integer in 2..1000000, got 1.",
    ],
    [
      ["--once", "--rare-window", "soon"],
      "error: option '--rare-window <window>' argument 'soon' is invalid. expected a duration like 30m or 1h, or a file count like 60files, got \"soon\".",
    ],
    [
      ["--once", "--rare-window", "0files"],
      "error: option '--rare-window <window>' argument '0files' is invalid. expected at least 1 file, got \"0files\".",
    ],
    [
      [...PROXIED, "--model", "127.0.0.1:2"],
      "error: --model, --store and --normalization are for the embedded cache: leave them out with --proxy",
    ],
    [
      [...PROXIED, "--normalization", "cluster"],
      "error: --model, --store and --normalization are for the embedded cache: leave them out with --proxy",
    ],
    [
      ["--once", "--normalization", "loose"],
      "error: option '--normalization <mode>' argument 'loose' is invalid. Allowed choices are exact, standard, casefold, cluster.",
    ],
    [
      ["--once", "--model", "localhost"],
      "error: option '--model <host:port|sim>' argument 'localhost' is invalid. expected host:port, https://host:port or dns:///host:port, got \"localhost\".",
    ],
    [
      ["--once", "--input", "ftp://x/", "--output", "/tmp/y", "--proxy", "127.0.0.1:1"],
      'error: unsupported object store location "ftp://x/" (accepted: s3://bucket/prefix/, file:///abs/dir, or a local directory path)',
    ],
    [
      ["--once", "--concurrency", "0"],
      "error: option '--concurrency <n>' argument '0' is invalid. expected an integer in 1..64, got 0.",
    ],
    [
      ["--once", "--parse-threads", "65"],
      "error: option '--parse-threads <n>' argument '65' is invalid. expected an integer in 0..64, got 65.",
    ],
    [
      ["--once", "--spill-bytes", "16MiB"],
      "error: option '--spill-bytes <n>' argument '16MiB' is invalid. expected an integer, got \"16MiB\".",
    ],
    [
      ["--once", "--interval", "soon"],
      "error: option '--interval <duration>' argument 'soon' is invalid. expected a duration like 500ms, 30s, 5m or 1h, got \"soon\".",
    ],
    [
      ["--once", "--priority", "urgent"],
      "error: option '--priority <lane>' argument 'urgent' is invalid. expected one of bulk, interactive, got \"urgent\".",
    ],
  ])("%j → exit 2 with one line", async (args, message) => {
    expect(await parseAugment(args)).toEqual({ code: 2, error: message });
  });

  it("reads flags from SENIORITY_* variables", async () => {
    process.env["SENIORITY_CONCURRENCY"] = "0";
    try {
      expect(await parseAugment(["--once"])).toEqual({
        code: 2,
        error:
          "error: option '--concurrency <n>' argument '0' is invalid. expected an integer in 1..64, got 0.".replace(
            "argument '0' is invalid",
            "value '0' from env 'SENIORITY_CONCURRENCY' is invalid",
          ),
      });
    } finally {
      delete process.env["SENIORITY_CONCURRENCY"];
    }
  });
});

describe("locations", () => {
  it.each([
    ["s3://rl-data/job-postings-mod/", "s3://rl-data/job-postings-mod-errors/"],
    ["s3://rl-data/a/b/mod", "s3://rl-data/a/b/mod-errors/"],
    ["s3://rl-data/a/b/mod//", "s3://rl-data/a/b/mod-errors/"],
    ["s3://rl-data/", "s3://rl-data/errors/"],
    ["s3://rl-data", "s3://rl-data/errors/"],
    ["/data/mod/", "/data/mod-errors"],
    ["mod", "mod-errors"],
    ["/", "/errors"],
    ["file:///data/mod", "file:///data/mod-errors"],
  ])("errors beside %s → %s", (output, errors) => {
    expect(defaultErrorsLocation(output)).toBe(errors);
  });

  it("splits file URIs into a folder and a key", () => {
    expect(splitFileUri("s3://rl-data/job-postings-raw/1721183934.jsonl")).toEqual({
      location: "s3://rl-data/job-postings-raw/",
      key: "1721183934.jsonl",
    });
    expect(splitFileUri("s3://rl-data/x.jsonl")).toEqual({ location: "s3://rl-data/", key: "x.jsonl" });
    expect(splitFileUri("/data/raw/x.jsonl")).toEqual({ location: "/data/raw", key: "x.jsonl" });
    expect(splitFileUri("file:///data/raw/x.jsonl")).toEqual({ location: "/data/raw", key: "x.jsonl" });
    expect(() => splitFileUri("s3://rl-data/raw/")).toThrow('not a file URI: "s3://rl-data/raw/"');
    expect(() => splitFileUri("http://x/y.jsonl")).toThrow('unsupported file URI "http://x/y.jsonl"');
  });
});
