import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { openStore, type StoreEntry } from "@seniority/seniority-cache";
import { useRedis } from "@seniority/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTransfer } from "./support/runTransfer.js";

const redis = useRedis();
const dir = mkdtempSync(join(tmpdir(), "seniority-transfer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NS = "v1:std:m:k2";
const lmdb = `lmdb:${join(dir, "cache")}`;
const key = (i: number): Buffer => pairKey(`Company ${i}`, `Title ${i}`, "standard");
const ANSWERS: StoreEntry[] = Array.from({ length: 3000 }, (_, i) => ({ key: key(i), level: (i % 7) + 1 }));
const LEVELS = ANSWERS.map((a) => a.level);

async function levelsIn(
  spec: string,
  options: Parameters<typeof openStore>[1],
): Promise<(number | undefined)[]> {
  const { store } = await openStore(spec, options);
  try {
    return await store.getMany(ANSWERS.map((a) => a.key));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const { store } = await openStore(lmdb, { namespace: NS });
  await store.setMany(ANSWERS);
  await store.close();
});

describe("seniority export / import", () => {
  it("LMDB → file → Redis compact: every answer arrives, counted", async () => {
    const file = join(dir, "lmdb.jsonl");
    const exported = await runTransfer(["export", "--store", lmdb, "--namespace", NS, "--file", file]);
    expect(exported).toEqual({
      out: "",
      err: `exported 3000 answers of namespace ${NS} from lmdb\n`,
      code: 0,
    });
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.length).toBe(3003); // header, 3000 answers, trailer, and the last newline
    expect(JSON.parse(lines[0]!)).toEqual({
      format: "seniority-answers",
      version: 1,
      namespace: NS,
      keys: "full",
    });
    expect(lines[3001]).toBe('{"end":true,"entries":3000}');
    expect(lines[3002]).toBe("");

    const target = ["--store", redis.url, "--redis-key-prefix", "rt1:", "--redis-buckets", "256"];
    const imported = await runTransfer(["import", ...target, "--file", file]);
    expect(imported).toEqual({
      out: "",
      err: `imported 3000 answers into namespace ${NS} of redis-compact\n`,
      code: 0,
    });
    expect(await levelsIn(redis.url, { namespace: NS, keyPrefix: "rt1:", buckets: 256 })).toEqual(LEVELS);
  });

  it("LMDB → stdout → Redis keys → file → a new LMDB: the keys layout exports full keys", async () => {
    const exported = await runTransfer(["export", "--store", lmdb, "--namespace", NS, "--batch", "700"]);
    expect(exported.code).toBe(0);
    const viaStdout = join(dir, "stdout.jsonl");
    writeFileSync(viaStdout, exported.out);
    const keys = ["--store", redis.url, "--redis-key-prefix", "rt2:", "--redis-layout", "keys"];
    expect((await runTransfer(["import", ...keys, "--file", viaStdout])).err).toBe(
      `imported 3000 answers into namespace ${NS} of redis-keys\n`,
    );
    const again = join(dir, "keys.jsonl");
    expect((await runTransfer(["export", ...keys, "--namespace", NS, "--file", again])).err).toBe(
      `exported 3000 answers of namespace ${NS} from redis-keys\n`,
    );
    const copy = `lmdb:${join(dir, "copy")}`;
    expect((await runTransfer(["import", "--store", copy, "--file", again])).code).toBe(0);
    expect(await levelsIn(copy, { namespace: NS })).toEqual(LEVELS);
  });

  it("Redis compact → compact of the same bucket count works; into LMDB or another count is refused", async () => {
    const source = ["--store", redis.url, "--redis-key-prefix", "rt1:", "--redis-buckets", "256"];
    const file = join(dir, "compact.jsonl");
    expect((await runTransfer(["export", ...source, "--namespace", NS, "--file", file])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8").split("\n")[0]!)).toMatchObject({
      keys: "compact",
      buckets: 256,
    });
    const same = ["--store", redis.url, "--redis-key-prefix", "rt3:", "--redis-buckets", "256"];
    expect((await runTransfer(["import", ...same, "--file", file])).err).toBe(
      `imported 3000 answers into namespace ${NS} of redis-compact\n`,
    );
    expect(await levelsIn(redis.url, { namespace: NS, keyPrefix: "rt3:", buckets: 256 })).toEqual(LEVELS);
    const refusal =
      "import: the file holds compact-layout answers (bucket and 8-byte field of 256 buckets; the pair keys are " +
      "not stored), which only a Redis compact layout with --redis-buckets 256 can take; the target is ";
    const other = `lmdb:${join(dir, "never")}`;
    expect(await runTransfer(["import", "--store", other, "--file", file])).toEqual({
      out: "",
      err: `${refusal}lmdb\n`,
      code: 1,
    });
    expect(await levelsIn(other, { namespace: NS })).toEqual(LEVELS.map(() => undefined));
    const more = ["--store", redis.url, "--redis-key-prefix", "rt4:", "--redis-buckets", "512"];
    expect((await runTransfer(["import", ...more, "--file", file])).err).toBe(`${refusal}redis-compact\n`);
  });

  it("--namespace relabels the model version; another normalization or identity is refused", async () => {
    const file = join(dir, "lmdb.jsonl");
    const relabel = await runTransfer([
      "import",
      "--store",
      lmdb,
      "--namespace",
      "v2:std:m:k2",
      "--file",
      file,
    ]);
    expect(relabel.err).toBe(
      `imported 3000 answers into namespace v2:std:m:k2 (relabelled from ${NS}) of lmdb\n`,
    );
    expect(await levelsIn(lmdb, { namespace: "v2:std:m:k2" })).toEqual(LEVELS);
    for (const [namespace, part] of [
      ["v1:cf:m:k2", "normalization (std → cf)"],
      ["v1:cl1:m:k2", "normalization (std → cl1)"],
      ["v1:std:sim:k2", "model identity (model → sim)"],
    ] as const) {
      expect(
        await runTransfer(["import", "--store", lmdb, "--namespace", namespace, "--file", file]),
      ).toEqual({
        out: "",
        err:
          `error: --namespace ${namespace}: the file holds answers of namespace ${NS}; they cannot go into a ` +
          `namespace of another ${part}\n`,
        code: 2,
      });
    }
  });
});
