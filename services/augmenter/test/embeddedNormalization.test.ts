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
    mkdirSync(join(root, "in"));
    writeFileSync(join(root, "in", KEY), POSTINGS.map((p) => JSON.stringify(p)).join("\n") + "\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** One `augment --once` into a fresh output folder; the model's items and the output's namespace. */
  async function augment(normalization: string[]): Promise<{ items: number; namespace: unknown }> {
    const output = join(root, `out-${normalization.join("") || "default"}`);
    const command = createAugmentCommand({ startSimulator }).exitOverride();
    command.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    const args = ["--once", "--input", join(root, "in"), "--output", output, "--model", "sim"];
    // Parsing in the main thread: under vitest there is no built worker script to start.
    args.push("--store", "memory", "--parse-threads", "0", ...normalization);
    await command.parseAsync(args, { from: "user" });
    const lines = readFileSync(join(output, KEY), "utf8").trim().split("\n");
    // Every spelling got its own level here: model-sim reads all five the way the cluster does.
    expect(lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority)).toEqual(
      POSTINGS.map((p) => levelForTitle(p.title)),
    );
    const info = await new LocalDirObjectStore(output).head(KEY);
    return { items: sims.at(-1)!.stats().items, namespace: info?.metadata["cache-namespace"] };
  }

  it("keys pairs by the mode it is given: cluster asks the model once a cluster, in a namespace of its own", async () => {
    expect(await augment([])).toEqual({ items: 5, namespace: "v1:std:sim:k2" });
    expect(await augment(["--normalization", "casefold"])).toEqual({ items: 5, namespace: "v1:cf:sim:k2" });
    expect(await augment(["--normalization", "cluster"])).toEqual({ items: 2, namespace: "v1:cl1:sim:k2" });
    expect(process.exitCode ?? 0).toBe(0);
  });
});
