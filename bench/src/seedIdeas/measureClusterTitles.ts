import { generatePostings, type PostingStreamOptions } from "@seniority/datagen";
import { levelForTitle } from "@seniority/model-sim";
import { normalizeText, type NormalizationMode } from "@seniority/pair-key";
import type { SeniorityPair } from "@seniority/seniority-model";
import { readTitleFixture } from "./readTitleFixture.js";
import { runCacheVariant, type VariantRun } from "./runCacheVariant.js";

/** The shared stream of the seedIdeas benchmark, scaled: 60 minute files (~330,000 lines). */
export const SEED_IDEAS_STREAM: PostingStreamOptions = { seed: 20240717, files: 60, linesPerFile: 5500 };
/** The company every held-out title is paired with (model-sim ignores it; the keys then differ by title only). */
const FIXTURE_COMPANY = "Acme Corp";
/** The baseline (the cache's default key), the existing opt-in, and the idea. */
const MODES: readonly NormalizationMode[] = ["standard", "casefold", "cluster"];

export interface ClusterTitlesOptions {
  /** The generated stream (default SEED_IDEAS_STREAM). */
  stream?: PostingStreamOptions;
  /** The held-out titles (default bench/data/realisticTitles.txt). */
  fixture?: string;
}

/** A held-out title answered with another spelling's level. */
export interface Disagreement {
  title: string;
  /** The first spelling of its cluster: the one the model was asked. */
  representative: string;
  own: number;
  answered: number;
}

export interface ClusterTitlesFigures {
  stream: {
    files: number;
    runs: VariantRun[];
    /** Distinct titles alone (exact, then the key of each mode): what the modes merge, company aside. */
    titles: Record<"exact" | NormalizationMode, number>;
    /** The stream's distinct titles as clusters (first seen = representative), as for the held-out ones. */
    titleClusters: { clusters: number; mixedClusters: number; disagreeingTitles: number };
  };
  heldOut: {
    runs: VariantRun[];
    /** Cluster keys, and those whose spellings model-sim does not give one level (order-independent). */
    clusters: number;
    mixedClusters: number;
    disagreements: Disagreement[];
  };
}

/**
 * The cluster mode against the default `standard` key (and `casefold`) on (1) the generated stream
 * and (2) the held-out titles, each replayed through an in-process cache in front of model-sim:
 * model items, store round trips, and lines answered with a level model-sim does not give their own
 * title. model-sim is the oracle: a real model may disagree where it does not (docs/title-clustering.md).
 */
export async function measureClusterTitles(
  options: ClusterTitlesOptions = {},
): Promise<ClusterTitlesFigures> {
  const stream = options.stream ?? SEED_IDEAS_STREAM;
  const streamRuns: VariantRun[] = [];
  for (const mode of MODES) streamRuns.push(await runCacheVariant(streamFiles(stream), mode));

  const titles = readTitleFixture(options.fixture);
  const fixture: SeniorityPair[][] = [titles.map((title) => ({ company: FIXTURE_COMPANY, title }))];
  const heldOutRuns: VariantRun[] = [];
  for (const mode of MODES) heldOutRuns.push(await runCacheVariant(fixture, mode));
  return {
    stream: { files: stream.files ?? 10, runs: streamRuns, ...distinctTitles(streamFiles(stream)) },
    heldOut: { runs: heldOutRuns, ...clusterAgreement(titles) },
  };
}

/** Each minute file's good lines as pairs (regenerated per variant: nothing is held between them). */
function* streamFiles(options: PostingStreamOptions): Generator<SeniorityPair[]> {
  for (const file of generatePostings(options)) {
    const pairs: SeniorityPair[] = [];
    for (const line of file.lines()) {
      if (line.kind === "good") pairs.push({ company: line.company!, title: line.title! });
    }
    yield pairs;
  }
}

/** Distinct titles of the stream, exact and under each mode. */
function distinctTitles(
  files: Iterable<readonly SeniorityPair[]>,
): Pick<ClusterTitlesFigures["stream"], "titles" | "titleClusters"> {
  const exact = new Set<string>();
  for (const lines of files) for (const { title } of lines) exact.add(title);
  const count = (mode: NormalizationMode) =>
    new Set([...exact].map((title) => normalizeText(title, mode, "title"))).size;
  const { clusters, mixedClusters, disagreements } = clusterAgreement([...exact]);
  return {
    titles: {
      exact: exact.size,
      standard: count("standard"),
      casefold: count("casefold"),
      cluster: count("cluster"),
    },
    titleClusters: { clusters, mixedClusters, disagreeingTitles: disagreements.length },
  };
}

/** Clusters of `titles` (first spelling = representative) and where model-sim's levels differ within one. */
function clusterAgreement(titles: readonly string[]): Omit<ClusterTitlesFigures["heldOut"], "runs"> {
  const clusters = new Map<string, { representative: string; levels: Set<number> }>();
  const disagreements: Disagreement[] = [];
  for (const title of titles) {
    const key = normalizeText(title, "cluster", "title");
    const own = levelForTitle(title);
    let cluster = clusters.get(key);
    if (!cluster) clusters.set(key, (cluster = { representative: title, levels: new Set() }));
    cluster.levels.add(own);
    const answered = levelForTitle(cluster.representative);
    if (answered !== own)
      disagreements.push({ title, representative: cluster.representative, own, answered });
  }
  const mixedClusters = [...clusters.values()].filter((c) => c.levels.size > 1).length;
  return { clusters: clusters.size, mixedClusters, disagreements };
}
