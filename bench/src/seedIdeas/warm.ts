import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWarm } from "@seniority/augmenter";
import { generatePostings } from "@seniority/datagen";
import { levelForTitle } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import { spellingKey } from "@seniority/pair-key";
import { MemoryStore, SeniorityCache } from "@seniority/seniority-cache";
import type { SeniorityPair } from "@seniority/seniority-model";
import { CountingStore } from "./CountingStore.js";
import type { SeedIdeaRow } from "./SeedIdeaRow.js";

export interface WarmMeasureOptions {
  /** Generator seed (default 14). */
  seed?: number;
  /** Minute files of the whole stream, split in two "months" (default 60). */
  files?: number;
  /** Mean lines a file (default 5,000): 300,000 lines in all by default. */
  linesPerFile?: number;
  /** warm --top (default 100,000) and --min-count (default 2). */
  top?: number;
  minCount?: number;
  log?: (message: string) => void;
}

type Month = SeniorityPair[][];

/**
 * "+ warm-up from the previous month": one generated stream, its first half of files month 1, the
 * second month 2. Each variant starts a fresh in-process cache (memory store counting its round
 * trips, model-sim's levels) and runs month 2 through it a file at a time (each file's distinct
 * pairs in one request, as the augmenter sends them); model items and store round trips are those
 * of month 2. The warm variants first run the real `seniority warm` code (runWarm: read month 1's
 * files from disk, count, send the plan in the bulk lane) — its cost is in the note, not the row.
 * The rate cap is lifted (it paces, it does not change a count).
 */
export async function measureWarm(options: WarmMeasureOptions = {}): Promise<SeedIdeaRow[]> {
  const log = options.log ?? (() => undefined);
  const files = options.files ?? 60;
  const dir = join(tmpdir(), `seniority-seed-warm-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const month2: Month = [];
    let lines = 0;
    for (const file of generatePostings({
      seed: options.seed ?? 14,
      files,
      linesPerFile: options.linesPerFile ?? 5000,
    })) {
      const first = file.index < files / 2;
      const texts: string[] = [];
      const unique = new Map<string, SeniorityPair>();
      for (const line of file.lines()) {
        lines++;
        if (first) texts.push(`${line.text.toString()}\n`);
        else if (line.company !== undefined && line.title !== undefined) {
          unique.set(spellingKey(line.company, line.title), { company: line.company, title: line.title });
        }
      }
      if (first) writeFileSync(join(dir, file.key), texts.join(""));
      else month2.push([...unique.values()]);
    }
    log(`${lines} lines in ${files} files; month 1 written to ${dir}`);
    const baseline = await runMonth(month2, undefined);
    const rows: SeedIdeaRow[] = [
      {
        variant: "baseline",
        modelItems: baseline.modelItems,
        storeRoundTrips: baseline.storeRoundTrips,
        note: `month 2 on an empty cache (${month2.length} files)`,
      },
    ];
    for (const [variant, minCount] of [
      ["+ warm-up from the previous month", options.minCount ?? 2],
      ["+ warm-up, every pair of the previous month", 1],
    ] as const) {
      const run = await runMonth(month2, { dir, top: options.top ?? 100_000, minCount });
      const saved = 1 - run.modelItems / baseline.modelItems;
      const total = run.modelItems + run.warmItems;
      rows.push({
        variant,
        modelItems: run.modelItems,
        storeRoundTrips: run.storeRoundTrips,
        note:
          `--min-count ${minCount}: warm sent ${run.warmItems} pairs in the bulk lane beforehand ` +
          `(${run.warmItems} model items); month-2 model items −${(100 * saved).toFixed(1)}%, ` +
          `warm + month 2 ${total} (${total <= baseline.modelItems ? "−" : "+"}${Math.abs(100 * (1 - total / baseline.modelItems)).toFixed(1)}% vs baseline)`,
      });
      log(`${variant}: ${rows.at(-1)!.note}`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runMonth(
  month: Month,
  warm: { dir: string; top: number; minCount: number } | undefined,
): Promise<{ modelItems: number; storeRoundTrips: number; warmItems: number }> {
  const store = new CountingStore(new MemoryStore());
  const model = {
    resolve: async (pairs: readonly SeniorityPair[]) => pairs.map((p) => levelForTitle(p.title)),
    close: async () => {},
  };
  const cache = new SeniorityCache({ store, model, modelIdentity: "sim", modelCapacity: 1_000_000 });
  try {
    let warmItems = 0;
    if (warm) {
      const summary = await runWarm({
        input: { store: new LocalDirObjectStore(warm.dir) },
        settings: {
          location: warm.dir,
          namespace: cache.namespace,
          normalization: "standard",
          top: warm.top,
          minCount: warm.minCount,
          counters: 500_000,
        },
        resolver: { resolve: (pairs) => cache.infer(pairs, { priority: "bulk" }), close: async () => {} },
        rate: 1_000_000,
        maxBatch: 1000,
      });
      warmItems = cache.stats().modelItems;
      if (summary.sent !== warmItems)
        throw new Error(`warm sent ${summary.sent} pairs but the model saw ${warmItems}`);
    }
    const before = { model: cache.stats().modelItems, store: store.roundTrips };
    for (const pairs of month) await cache.infer(pairs, { priority: "bulk" });
    return {
      modelItems: cache.stats().modelItems - before.model,
      storeRoundTrips: store.roundTrips - before.store,
      warmItems,
    };
  } finally {
    await cache.close();
  }
}
