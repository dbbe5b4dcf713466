import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { beforeEach, describe, expect, it } from "vitest";
import { SpillBuffer } from "../src/file/SpillBuffer.js";

describe("SpillBuffer", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "augmenter-spill-test-"));
    return () => rmSync(dir, { recursive: true, force: true });
  });
  const parts = Array.from({ length: 50 }, (_, i) => Buffer.from(`part ${i} ${"x".repeat(i)}\n`));

  it("keeps up to limitBytes in memory: no file at all", async () => {
    const spill = new SpillBuffer({ limitBytes: 1_000_000, dir });
    for (const part of parts) await spill.append(part);
    expect([spill.spilled, spill.size, readdirSync(dir)]).toEqual([false, Buffer.concat(parts).length, []]);
    expect(await buffer(await spill.readable())).toEqual(Buffer.concat(parts));
    await spill.close();
  });

  it("moves to a temp file past limitBytes, gives back the same bytes, and removes the file on close", async () => {
    const spill = new SpillBuffer({ limitBytes: 100, dir });
    for (const part of parts) await spill.append(part);
    expect(spill.spilled).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(await buffer(await spill.readable())).toEqual(Buffer.concat(parts));
    await spill.close();
    await spill.close(); // idempotent
    expect(readdirSync(dir)).toEqual([]);
    await expect(spill.append(Buffer.from("late"))).rejects.toThrow("SpillBuffer is closed");
  });

  it("removes the temp file when closed without being read (a failed file)", async () => {
    const spill = new SpillBuffer({ limitBytes: 10, dir });
    await spill.append(Buffer.alloc(11));
    expect(readdirSync(dir)).toHaveLength(1);
    await spill.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});
