import { ModelSim } from "@seniority/model-sim";
import type { SeniorityPair } from "@seniority/seniority-model";
import type { StartInProcessModel } from "../src/cli/InProcessModel.js";
import { augmentedChunks, type AugmentOptions, type AugmentStats } from "../src/file/augmentedChunks.js";
import type { BadLineRecord } from "../src/file/badLineRecords.js";
import type { BlockParser } from "../src/parse/BlockParser.js";
import { parseLine } from "../src/parse/parseLine.js";
import { spliceSeniority } from "../src/jsonl/spliceSeniority.js";
import { splitLines } from "../src/jsonl/splitLines.js";
import { cutInto } from "./support/cutInto.js";
import { jsonLines } from "./support/jsonLines.js";

/** The levels recordingResolver answers. */
export const levelOf = (pair: SeniorityPair): number =>
  1 + ((pair.company.length + 3 * pair.title.length) % 7);

/** A resolver answering levelOf, recording each call's pairs. */
function recordingResolver() {
  const calls: SeniorityPair[][] = [];
  return {
    calls,
    resolve: (pairs: readonly SeniorityPair[]) => {
      calls.push([...pairs]);
      return Promise.resolve(pairs.map(levelOf));
    },
    close: () => Promise.resolve(),
  };
}

/** The augmenter's contract, line by line (splitLines + parseLine + spliceSeniority). */
export async function reference(bytes: Buffer, maxLineBytes: number) {
  let output = "";
  const errors: BadLineRecord[] = [];
  for await (const raw of splitLines([bytes], { maxLineBytes })) {
    const line = parseLine(raw, maxLineBytes);
    if (line.ok) output += spliceSeniority(line.text, line.scan, levelOf(line.pair)) + "\n";
    else errors.push({ file: "f.jsonl", line: line.number, reason: line.reason, raw: line.raw });
  }
  return { output, errors };
}

/** augmentedChunks over `bytes` cut into reads at `cuts`: output, parsed error records, stats, resolver calls. */
export async function augment(
  bytes: Buffer,
  cuts: number[],
  options: Partial<AugmentOptions> & { parser?: BlockParser } = {},
) {
  const chunks = cutInto(bytes, cuts);
  const resolver = recordingResolver();
  const stats: AugmentStats = { linesIn: 0, linesOut: 0, linesBad: 0, pairsRequested: 0, localCacheHits: 0 };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const progress = { ok: 0, bad: 0 };
  const source = (async function* () {
    yield* chunks;
  })();
  for await (const chunk of augmentedChunks(
    source,
    { file: "f.jsonl", resolver, cache: undefined, chunkLines: 10_000, maxLineBytes: 1_048_576, ...options },
    stats,
  )) {
    out.push(chunk.output);
    err.push(chunk.errors);
    progress.ok += chunk.ok;
    progress.bad += chunk.bad;
  }
  const errorsText = Buffer.concat(err).toString("utf8");
  return {
    output: Buffer.concat(out).toString("utf8"),
    errors: jsonLines<BadLineRecord>(errorsText),
    stats,
    progress,
    calls: resolver.calls,
  };
}

/** What the CLI injects for `model: "sim"` (model-sim on a free port); the tests inject the same. */
export const startSimulator: StartInProcessModel = ({ capacity, logger }) =>
  ModelSim.start({ port: 0, capacity, logger });
