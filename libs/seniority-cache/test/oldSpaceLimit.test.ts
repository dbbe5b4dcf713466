import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { maxOldSpaceSizeFlag } from "../src/core/oldSpaceLimit.js";

const MiB = 2 ** 20;
const budgetModule = fileURLToPath(new URL("../dist/core/queueHeapBudget.js", import.meta.url));

/** The heap limit the queue budget plans from, read in a child Node with these flags. */
function plannedLimitMiB(nodeArgs: string[], nodeOptions = ""): number {
  const script =
    `import(${JSON.stringify(budgetModule)}).then((m) => ` +
    `console.log(m.queueHeapBudget({ l1Entries: 0 }).heapLimitBytes))`;
  const out = execFileSync(process.execPath, [...nodeArgs, "-e", script], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    encoding: "utf8",
  });
  return Number(out.trim()) / MiB;
}

describe("the old-space limit the queue budget plans from", () => {
  it("is the --max-old-space-size cap, not heap_size_limit (which adds the young generation: +192 MB on Node 24)", () => {
    expect(plannedLimitMiB(["--max-old-space-size=160"])).toBe(160);
    expect(plannedLimitMiB([], "--max-old-space-size=320")).toBe(320); // as the deploy overlays set it
    expect(plannedLimitMiB(["--max-old-space-size=200"], "--max-old-space-size=320")).toBe(200);
  });

  it("reads the flag's spellings, the later one winning; ignores what is not a size", () => {
    expect(maxOldSpaceSizeFlag([], "")).toBeUndefined();
    expect(maxOldSpaceSizeFlag(["--max_old_space_size=96"], "")).toBe(96);
    expect(maxOldSpaceSizeFlag(["--max-old-space-size", "128"], "")).toBe(128);
    expect(maxOldSpaceSizeFlag(["--max-old-space-size=64"], "--max-old-space-size=512 --trace-gc")).toBe(64);
    expect(maxOldSpaceSizeFlag(["--max-old-space-size=lots"], "--max-old-space-size=256")).toBe(256);
    expect(maxOldSpaceSizeFlag(["--max-semi-space-size=64"], "")).toBeUndefined();
  });
});
