import { isAbsolute, relative, sep } from "node:path";
import type { DemoReport } from "./DemoReport.js";

const n = (value: number): string => value.toLocaleString("en-US");
const mb = (bytes: number): string => `${n(Math.round(bytes / (1024 * 1024)))} MB`;

/** A path as a reader would type it: "./x/y/" below the working directory, absolute elsewhere. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  const shown = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : `.${sep}${rel}`;
  return shown.endsWith(sep) ? shown : shown + sep;
}

/** The report `seniority demo` prints on stdout: one labelled line per number. */
export function formatDemoReport(report: DemoReport, cwd = process.cwd()): string {
  const { sample, model, cache, augment } = report;
  const origin = sample.reused
    ? "sample reused from the last run"
    : `sample generated in ${sample.seconds.toFixed(1)} s`;
  const rows: [string, string][] = [
    ["files", `${n(augment.files)} (${origin})`],
    ["lines", `${n(augment.linesIn)} in, ${n(augment.linesOut)} augmented, ${n(augment.linesBad)} bad`],
    ["distinct pairs", `${n(sample.distinctPairs)} (company, title) pairs in the sample`],
    [
      "model",
      `${n(model.inferences)} inferences in ${n(model.batches)} batches (mean batch ${model.meanBatchSize.toFixed(1)})`,
    ],
    [
      "cache",
      `hit ratio ${(100 * cache.hitRatio).toFixed(1)}% (${n(cache.l1Hits + cache.storeHits)} of ${n(cache.lookups)} pair lookups: ${n(cache.l1Hits)} L1, ${n(cache.storeHits)} store)`,
    ],
    ["time", `${augment.seconds.toFixed(1)} s wall, ${n(Math.round(augment.linesPerSecond))} lines/s`],
    ["peak memory", `${mb(report.peakRssBytes)} RSS`],
    [
      "output",
      `${displayPath(report.folders.mod, cwd)} (bad lines: ${displayPath(report.folders.errors, cwd)})`,
    ],
    ["sample line", report.sampleLine ?? "(none)"],
  ];
  if (augment.failedFiles.length > 0)
    rows.push(["FAILED", `${n(augment.failedFiles.length)} files: ${augment.failedFiles.join(", ")}`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const next =
    model.inferences === 0
      ? "Every answer came from the cache: 0 model inferences. --fresh starts over."
      : report.store === "memory"
        ? "The memory store ends with the process; with --store lmdb:<path> a second run asks the model nothing."
        : "Run it again: the answers are in the cache now, so the model is asked nothing.";
  return [
    `Seniority demo: the augmenter on embedded defaults (cache in-process on ${report.store}, model-sim at ${n(model.capacity)} items/s)`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    next,
  ].join("\n");
}
