import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAugmentCommand } from "../src/cli/createAugmentCommand.js";
import type { StartInProcessModel } from "../src/cli/InProcessModel.js";

/** Five spellings of two (company, title) pairs: "senior software engineer" and "software engineer 2". */
const POSTINGS = [
  { company: "Acme, Inc.", title: "Sr. Software Engineer" },
  { company: "Acme Inc", title: "Software Engineer, Senior" },
  { company: "ACME INC", title: "Senior Software Engineer (m/w/d)" },
  { company: "Acme Inc", title: "Software Engineer II" },
  { company: "Acme Incorporated", title: "Software Engineer L2" },
];
const KEY = "1721183940.jsonl";

describe("seniority augment --normalization (embedded cache)", () => {
  let root: string;
  let sims: ModelSim[];
  // Starts model-sim as the CLI does, keeping it so the test can read its counters.
  const startSimulator: StartInProcessModel = async ({ capacity, logger }) => {
    const sim = await ModelSim.start({ port: 0, capacity, logger });
    sims.push(sim);
    return sim;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "augment-normalization-"));
    sims = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** One `augment --once` of `postings` into fresh folders: the model's items, the levels, the namespace. */
  async function augment(
    postings: readonly { company: string; title: string }[],
    normalization: string[],
  ): Promise<{ items: number; levels: number[]; namespace: unknown }> {
    const run = join(root, `run-${sims.length}`);
    mkdirSync(join(run, "in"), { recursive: true });
    writeFileSync(join(run, "in", KEY), postings.map((p) => JSON.stringify(p)).join("\n") + "\n");
    const command = createAugmentCommand({ startSimulator }).exitOverride();
    command.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    const args = ["--once", "--input", join(run, "in"), "--output", join(run, "out"), "--model", "sim"];
    // Parsing in the main thread: under vitest there is no built worker script to start.
    args.push("--store", "memory", "--parse-threads", "0", ...normalization);
    await command.parseAsync(args, { from: "user" });
    const lines = readFileSync(join(run, "out", KEY), "utf8")
      .trim()
      .split("\n");
    const info = await new LocalDirObjectStore(join(run, "out")).head(KEY);
    return {
      items: sims.at(-1)!.stats().items,
      levels: lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority),
      namespace: info?.metadata["cache-namespace"],
    };
  }

  it("keys pairs by the mode it is given: cluster asks the model once a cluster, in a namespace of its own", async () => {
    // model-sim reads all five spellings the way the cluster does: every line keeps its own level.
    const levels = POSTINGS.map((p) => levelForTitle(p.title));
    expect(await augment(POSTINGS, [])).toEqual({ items: 5, levels, namespace: "v1:std:sim:k2" });
    expect(await augment(POSTINGS, ["--normalization", "casefold"])).toEqual({
      items: 5,
      levels,
      namespace: "v1:cf:sim:k2",
    });
    expect(await augment(POSTINGS, ["--normalization", "cluster"])).toEqual({
      items: 2,
      levels,
      namespace: "v1:cl1:sim:k2",
    });
    expect(process.exitCode ?? 0).toBe(0);
  });

  it("answers a cluster with its first spelling's level, where model-sim reads a later one otherwise", async () => {
    // model-sim does not know "Snr" (level 2); the cluster reads it as "senior" (3).
    const postings = [
      { company: "Acme", title: "Sr. Software Engineer" },
      { company: "Acme", title: "Snr Software Engineer" },
    ];
    expect(postings.map((p) => levelForTitle(p.title))).toEqual([3, 2]);
    expect(await augment(postings, [])).toMatchObject({ items: 2, levels: [3, 2] });
    expect(await augment(postings, ["--normalization", "cluster"])).toMatchObject({
      items: 1,
      levels: [3, 3],
    });
  });
});
