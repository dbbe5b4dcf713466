import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pairKey } from "@seniority/pair-key";
import { openStore } from "@seniority/seniority-cache";
import { useRedis } from "@seniority/testkit";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/seniority.js", import.meta.url));
const redis = useRedis();
const dir = mkdtempSync(join(tmpdir(), "seniority-pipe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NS = "v1:std:m:k2";
const keys = Array.from({ length: 5000 }, (_, i) => pairKey(`Company ${i}`, `Title ${i}`, "standard"));

function exited(child: ReturnType<typeof spawn>, stderr: string[]): Promise<number | null> {
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("seniority export | seniority import", () => {
  it("moves an LMDB namespace into Redis through a pipe, every answer intact", async () => {
    const lmdb = `lmdb:${join(dir, "cache")}`;
    const { store: source } = await openStore(lmdb, { namespace: NS });
    await source.setMany(keys.map((key, i) => ({ key, level: (i % 7) + 1 })));
    await source.close();

    const env = { ...process.env, SENIORITY_LOG_LEVEL: "silent" };
    const exporter = spawn(process.execPath, [BIN, "export", "--store", lmdb, "--namespace", NS], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const importer = spawn(
      process.execPath,
      [BIN, "import", "--store", redis.url, "--redis-key-prefix", "pipe:", "--expected-pairs", "5000"],
      { env, stdio: ["pipe", "ignore", "pipe"] },
    );
    exporter.stdout!.pipe(importer.stdin!);
    const exportErr: string[] = [];
    const importErr: string[] = [];
    const codes = await Promise.all([exited(exporter, exportErr), exited(importer, importErr)]);
    expect(codes).toEqual([0, 0]);
    expect(exportErr.join("")).toBe(`exported 5000 answers of namespace ${NS} from lmdb\n`);
    expect(importErr.join("")).toBe(`imported 5000 answers into namespace ${NS} of redis-compact\n`);

    const { store: target } = await openStore(redis.url, {
      namespace: NS,
      keyPrefix: "pipe:",
      expectedPairs: 5000,
    });
    try {
      expect(await target.getMany(keys)).toEqual(keys.map((_, i) => (i % 7) + 1));
    } finally {
      await target.close();
    }
  });
});
