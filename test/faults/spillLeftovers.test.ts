import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelSim } from "@seniority/model-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@seniority/testkit";
import { augmentOnce } from "../support/augmentOnce.js";
import { runCli } from "../support/runCli.js";

// Issue 9 item 6: a SIGKILLed augmenter leaves its spill (temp file of a file's output) in the
// spill dir ($TMPDIR); the next run removes it. Real CLI processes, real SIGKILL.
describe("spill files of a SIGKILLed augmenter", () => {
  let sim: ModelSim;
  let dir: string;
  beforeAll(async () => {
    // 1,000 items/s: 3,000 distinct pairs take ~3 s, long enough to kill the run mid-spill.
    sim = await ModelSim.start({ capacity: 1000 });
    dir = await mkdtemp(join(tmpdir(), "spill-leftovers-"));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("are removed by the next run, which also writes the whole output", async () => {
    const spillDir = join(dir, "tmp");
    await mkdir(spillDir);
    await mkdir(join(dir, "raw"));
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ url: `https://x/${i}`, company: `Company ${i}`, title: `Engineer ${i}` }),
    );
    await writeFile(join(dir, "raw", "1721183934.jsonl"), lines.join("\n") + "\n");
    const args = augmentOnce(
      join(dir, "raw"),
      join(dir, "mod"),
      ...["--model", sim.address, "--store", "memory", "--spill-bytes", "1024", "--chunk-lines", "200"],
      ...["--parse-threads", "0", "--concurrency", "1"],
    );
    const env = { TMPDIR: spillDir };
    const spills = async () =>
      (await readdir(spillDir)).filter((name) => name.startsWith("augmenter-spill-"));

    const killed = runCli(args, env);
    await waitFor(async () => (await spills()).length > 0, "a spill file");
    killed.child.kill("SIGKILL");
    expect(await killed.exited).toEqual({ code: null, signal: "SIGKILL" });
    const left = await spills();
    expect(left.length).toBeGreaterThan(0); // what the kill leaves behind
    expect(left.every((name) => name.startsWith(`augmenter-spill-${killed.child.pid}-`))).toBe(true);

    const rerun = runCli(args, env);
    expect(await rerun.exited).toEqual({ code: 0, signal: null });
    expect(await spills()).toEqual([]);
    const output = (await readFile(join(dir, "mod", "1721183934.jsonl"), "utf8")).trimEnd().split("\n");
    expect(output).toHaveLength(3000);
  });
});
