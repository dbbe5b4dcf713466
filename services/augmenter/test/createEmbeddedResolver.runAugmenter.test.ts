import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { levelForTitle, type ModelSim } from "@seniority/model-sim";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createEmbeddedResolver, type EmbeddedResolver } from "../src/cli/createEmbeddedResolver.js";
import { runAugmenter } from "../src/run/runAugmenter.js";
import { startSimulator } from "./augmentHelpers.js";
import { COMPANIES, DISTINCT, TITLES } from "./samplePairs.js";
import { useScratch } from "./support/useScratch.js";

const simOf = (resolver: EmbeddedResolver): ModelSim => resolver.sim as ModelSim;

// End to end: runAugmenter over a folder with the embedded resolver (simulator, LMDB store).
describe("createEmbeddedResolver", () => {
  const scratch = useScratch("embedded-resolver-");

  it("augments a folder end to end (runAugmenter): levels are levelForTitle's, a rerun infers nothing", async () => {
    const raw = join(scratch.root, "raw");
    mkdirSync(raw);
    const files: Record<string, string[]> = {};
    for (let f = 0; f < 3; f++) {
      const lines = Array.from({ length: 200 }, (_, i) => {
        if (i % 50 === 7) return `{"company": "Acme Corp", "title": ${i}}`;
        const title = TITLES[(i * 7 + f) % TITLES.length]!;
        const company = COMPANIES[(i + f) % COMPANIES.length]!;
        return JSON.stringify({
          url: `https://jobs.example/${f}/${i}`,
          company,
          title,
          location: "Remote",
          scraped_on: 1721183880 + i,
        });
      });
      files[`${1721183940 + 60 * f}.jsonl`] = lines;
      writeFileSync(join(raw, `${1721183940 + 60 * f}.jsonl`), lines.join("\n") + "\n");
    }
    const store = `lmdb:${join(scratch.root, "cache")}`;
    const run = async (): Promise<{
      inferred: number;
      summary: Awaited<ReturnType<typeof runAugmenter>>;
    }> => {
      rmSync(join(scratch.root, "mod"), { recursive: true, force: true });
      const resolver = await createEmbeddedResolver({
        store,
        model: "sim",
        startSimulator,
        simCapacity: 1_000_000,
        logger: pino({ level: "silent" }),
      });
      try {
        const summary = await runAugmenter({
          input: new LocalDirObjectStore(raw),
          output: new LocalDirObjectStore(join(scratch.root, "mod")),
          errors: new LocalDirObjectStore(join(scratch.root, "errors")),
          resolver,
          mode: "once",
          chunkLines: 64,
        });
        return { inferred: simOf(resolver).stats().items, summary };
      } finally {
        await resolver.close();
      }
    };

    const first = await run();
    expect(first.summary).toMatchObject({
      files: { done: 3, failed: 0 },
      lines: { in: 600, out: 588, bad: 12 },
    });
    expect(first.inferred).toBe(DISTINCT);
    for (const [key, lines] of Object.entries(files)) {
      const good = lines.filter((line) => !line.includes('"title": '));
      const expected = good.map(
        (line) =>
          `${line.slice(0, -1)},"seniority":${levelForTitle((JSON.parse(line) as { title: string }).title)}}`,
      );
      expect(readFileSync(join(scratch.root, "mod", key), "utf8")).toBe(expected.join("\n") + "\n");
      expect(
        readFileSync(join(scratch.root, "errors", key), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(4);
    }

    const second = await run();
    expect(second.summary).toMatchObject({ files: { done: 3 }, lines: { in: 600, out: 588, bad: 12 } });
    expect(second.inferred).toBe(0);
  });
});
