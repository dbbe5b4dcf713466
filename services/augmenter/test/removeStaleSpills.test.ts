import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LEGACY_SPILL_MAX_AGE_MS, removeStaleSpills } from "../src/file/removeStaleSpills.js";

describe("removeStaleSpills", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stale-spills-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const spill = (name: string, ageMs = 0): void => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "buffer"), "x");
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(join(dir, name, "buffer"), at, at);
    utimesSync(join(dir, name), at, at);
  };

  it("removes spills of dead pids and of its own pid; keeps live pids', young legacy ones and others", async () => {
    spill("augmenter-spill-111-aB3dE9"); // dead
    spill("augmenter-spill-222-Zz0000"); // alive
    spill(`augmenter-spill-${process.pid}-qwerty`); // ours: a predecessor's (same pid after a restart)
    spill("augmenter-spill-Abc123", LEGACY_SPILL_MAX_AGE_MS + 60_000); // legacy, old
    spill("augmenter-spill-Xyz789", 60_000); // legacy, recent
    spill("augmenter-spill-test-abcdef"); // not ours by pattern
    spill("other-tool-111-aB3dE9");
    writeFileSync(join(dir, "augmenter-spill-notes.txt"), "");
    const removed = await removeStaleSpills(dir, { isAlive: (pid) => pid === 222 });
    expect(removed).toBe(3);
    expect(readdirSync(dir).sort()).toEqual([
      "augmenter-spill-222-Zz0000",
      "augmenter-spill-Xyz789",
      "augmenter-spill-notes.txt",
      "augmenter-spill-test-abcdef",
      "other-tool-111-aB3dE9",
    ]);
  });

  it("removes nothing from a missing directory", async () => {
    expect(await removeStaleSpills(join(dir, "missing"))).toBe(0);
  });
});
