import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NO_IN_PROCESS_MODEL_MESSAGE } from "../src/cli/InProcessModel.js";

const ENTRY = fileURLToPath(new URL("../dist/main.js", import.meta.url));

// The augmenter's own container entry ships no simulator (model-sim is wired in services/cli only):
// `--model sim` there is a usage error naming the way out, and nothing is written.
describe("the augmenter's container entry", () => {
  const root = mkdtempSync(join(tmpdir(), "augmenter-entry-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses --model sim with exit 2 and one clear line, writing nothing", () => {
    mkdirSync(join(root, "raw"));
    writeFileSync(join(root, "raw", "1721183940.jsonl"), '{"company":"Acme","title":"CFO"}\n');
    const run = spawnSync(
      process.execPath,
      [
        ENTRY,
        "--once",
        "--input",
        join(root, "raw"),
        "--output",
        join(root, "mod"),
        "--model",
        "sim",
        "--store",
        "memory",
      ],
      { encoding: "utf8", env: { ...process.env, SENIORITY_LOG_LEVEL: "silent" } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(NO_IN_PROCESS_MODEL_MESSAGE);
    expect(readdirSync(root).sort()).toEqual(["raw"]);
  });
});
