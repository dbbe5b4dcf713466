import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAugmenter } from "@seniority/augmenter";
import { ModelSim } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import { NORMALIZATION_MODES, pairKey, spellingKey } from "@seniority/pair-key";
import { SeniorityModelDefinition } from "@seniority/proto";
import type { CacheService } from "@seniority/seniority-cache-service";
import { SeniorityClient } from "@seniority/seniority-model";
import fc from "fast-check";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMemoryProxy } from "../../services/augmenter/test/support/startMemoryProxy.js";

// Issue 9 item 1. Joined with "\0", these two pairs were one: model-sim answers by title, so
// A ("...", "CEO") is 7 and B ("...", "Intern\0CEO") is 1 (the first keyword wins).
const A = { company: "X\u0000Intern", title: "CEO" };
const B = { company: "X", title: "Intern\u0000CEO" };

// Characters that break naive framings: separators, digits and ":" (a length-prefix's own
// alphabet), controls, a surrogate pair, U+FFFD.
const tricky = fc.string({
  unit: fc.constantFrom("\u0000", ":", "1", "2", "\u001f", "\n", "\t", " ", "X", "é", "\u{1F600}", "\uFFFD"),
  maxLength: 8,
});

describe("key collision: ('X\\0Intern', 'CEO') vs ('X', 'Intern\\0CEO')", () => {
  it("pair-key: the two pairs have different keys and spellings, in every mode", () => {
    for (const mode of NORMALIZATION_MODES) {
      expect(pairKey(A.company, A.title, mode).equals(pairKey(B.company, B.title, mode))).toBe(false);
    }
    expect(spellingKey(A.company, A.title)).not.toBe(spellingKey(B.company, B.title));
  });

  it("pair-key: distinct pairs never share a spelling key or an exact pair key", () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, tricky, (c1, t1, c2, t2) => {
        fc.pre(c1 !== c2 || t1 !== t2);
        expect(spellingKey(c1, t1)).not.toBe(spellingKey(c2, t2));
        expect(pairKey(c1, t1, "exact").equals(pairKey(c2, t2, "exact"))).toBe(false);
      }),
      { numRuns: 5_000 },
    );
    // The same, for pairs that differ only in where the boundary falls in one string.
    fc.assert(
      fc.property(tricky, fc.nat(), fc.nat(), (s, a, b) => {
        const i = a % (s.length + 1);
        const j = b % (s.length + 1);
        fc.pre(i !== j);
        expect(spellingKey(s.slice(0, i), s.slice(i))).not.toBe(spellingKey(s.slice(0, j), s.slice(j)));
      }),
      { numRuns: 2_000 },
    );
  });

  describe("through the proxy and the augmenter (real gRPC server, model-sim)", () => {
    let sim: ModelSim;
    let proxy: CacheService | undefined;
    let dir: string;
    beforeAll(async () => {
      sim = await ModelSim.start({ capacity: 1_000_000 });
      dir = await mkdtemp(join(tmpdir(), "key-collision-"));
    });
    afterAll(async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    });
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
      sim.resetStats();
    });
    const startProxy = async () => {
      proxy = await startMemoryProxy(sim.address);
      return proxy.server.address;
    };

    it("proxy: each pair gets its own level (7, then 1) and both reach the model", async () => {
      const channel = createChannel(await startProxy());
      const client = createClient(SeniorityModelDefinition, channel);
      try {
        const first = await client.inferSeniority({ batch: [{ uuid: 1, ...A }] });
        const second = await client.inferSeniority({ batch: [{ uuid: 2, ...B }] });
        const both = await client.inferSeniority({
          batch: [
            { uuid: 3, ...B },
            { uuid: 4, ...A },
          ],
        });
        expect(first.batch).toEqual([{ uuid: 1, seniority: 7 }]);
        expect(second.batch).toEqual([{ uuid: 2, seniority: 1 }]);
        expect(both.batch).toEqual([
          { uuid: 3, seniority: 1 },
          { uuid: 4, seniority: 7 },
        ]);
        expect(sim.stats()).toMatchObject({ items: 2, distinctPairs: 2, duplicateInferences: 0 });
      } finally {
        channel.close();
      }
    });

    it("augmenter → proxy: lines of both pairs in one file get 7 and 1", async () => {
      const client = new SeniorityClient({ address: await startProxy() });
      const input = join(dir, "raw");
      await mkdir(input, { recursive: true });
      const lines = [A, B, A, B].map((pair, i) => JSON.stringify({ url: `u${i}`, ...pair }));
      await writeFile(join(input, "1721183934.jsonl"), lines.join("\n") + "\n");
      try {
        const summary = await runAugmenter({
          input: new LocalDirObjectStore(input),
          output: new LocalDirObjectStore(join(dir, "mod")),
          errors: new LocalDirObjectStore(join(dir, "errors")),
          resolver: client,
          mode: "once",
        });
        expect(summary).toMatchObject({ files: { done: 1, failed: 0 }, lines: { in: 4, out: 4, bad: 0 } });
      } finally {
        await client.close();
      }
      const output = (await readFile(join(dir, "mod", "1721183934.jsonl"), "utf8")).trimEnd().split("\n");
      expect(output).toEqual(
        lines.map((line, i) => `${line.slice(0, -1)},"seniority":${i % 2 === 0 ? 7 : 1}}`),
      );
      expect(sim.stats()).toMatchObject({ items: 2, distinctPairs: 2, duplicateInferences: 0 });
    });
  });
});
