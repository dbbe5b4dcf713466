import { readdir } from "node:fs/promises";
import { generate, type PostingCounts } from "@seniority/datagen";
import type { DemoFolder } from "./DemoFolder.js";

/** What the sample is made of; the same settings give the same bytes. */
export interface SampleSettings {
  files: number;
  /** Mean lines a file (each file: 0.5–1.5 × this). */
  lines: number;
  seed: number;
  /** Share 0..1 of malformed lines. */
  badLineShare: number;
}

export interface SampleInfo extends PostingCounts {
  /** True when the sample of an earlier run was used as it was. */
  reused: boolean;
  /** Time spent generating, seconds (0 when reused). */
  seconds: number;
}

/** demo.json: the settings, and the generator's counts once the sample is complete (null before). */
interface Manifest {
  sample: SampleSettings;
  counts: PostingCounts | null;
}

/**
 * The sample in `raw/`: reused when demo.json says it was generated, complete, with these settings
 * (and raw/ still holds that many files); otherwise raw/, mod/ and errors/ are cleared and it is
 * generated again. The manifest is written before generating (counts null) and after, so a run
 * stopped half-way regenerates.
 */
export async function prepareSample(
  folder: DemoFolder,
  settings: SampleSettings,
  signal?: AbortSignal,
): Promise<SampleInfo> {
  const previous = (await folder.readManifest()) as Partial<Manifest> | undefined;
  if (previous?.counts && sameSettings(previous.sample, settings)) {
    if ((await countInputFiles(folder.raw)) === previous.counts.files) {
      return { ...previous.counts, reused: true, seconds: 0 };
    }
  }
  await folder.remove();
  await folder.claim();
  await folder.writeManifest({ sample: settings, counts: null } satisfies Manifest);
  const started = performance.now();
  const summary = await generate({
    output: folder.raw,
    files: settings.files,
    linesPerFile: settings.lines,
    seed: settings.seed,
    badLineShare: settings.badLineShare,
    ...(signal ? { signal } : {}),
  });
  const counts: PostingCounts = {
    files: summary.files,
    lines: summary.lines,
    goodLines: summary.goodLines,
    badLines: summary.badLines,
    badLinesByKind: summary.badLinesByKind,
    bytes: summary.bytes,
    distinctPairs: summary.distinctPairs,
    distinctPairsStandard: summary.distinctPairsStandard,
    distinctPairsCasefold: summary.distinctPairsCasefold,
  };
  await folder.writeManifest({ sample: settings, counts } satisfies Manifest);
  return { ...counts, reused: false, seconds: (performance.now() - started) / 1000 };
}

function sameSettings(a: SampleSettings | undefined, b: SampleSettings): boolean {
  return (
    a !== undefined &&
    a.files === b.files &&
    a.lines === b.lines &&
    a.seed === b.seed &&
    a.badLineShare === b.badLineShare
  );
}

/** `*.jsonl` files in the folder (0 when it is missing). */
async function countInputFiles(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => !name.startsWith(".") && name.endsWith(".jsonl")).length;
}
