import {
  measureClusterTitles,
  type ClusterTitlesFigures,
  type ClusterTitlesOptions,
} from "./measureClusterTitles.js";
import type { VariantRun } from "./runCacheVariant.js";
import type { SeedIdeaRow } from "./SeedIdeaRow.js";

/** The row names of the three modes. */
const VARIANTS: Readonly<Record<string, string>> = {
  standard: "baseline",
  casefold: "+ casefold (existing opt-in)",
  cluster: "+ cluster titles",
};

/**
 * The seedIdeas rows of the cluster idea: the baseline (`standard` keys), `casefold` (what lower
 * case alone saves, so cluster is not credited with it) and `cluster`, side by side on one stream;
 * notes give keys saved and the disagreement with model-sim, on the stream and on the held-out titles.
 */
export async function clusterTitles(options: ClusterTitlesOptions = {}): Promise<SeedIdeaRow[]> {
  return clusterTitleRows(await measureClusterTitles(options));
}

/** The rows of measured figures. */
export function clusterTitleRows(figures: ClusterTitlesFigures): SeedIdeaRow[] {
  const streamBase = figures.stream.runs[0]!;
  const heldOutBase = figures.heldOut.runs[0]!;
  return figures.stream.runs.map((run, i) => {
    const heldOut = figures.heldOut.runs[i]!;
    return {
      variant: VARIANTS[run.mode] ?? run.mode,
      modelItems: run.modelItems,
      storeRoundTrips: run.storeRoundTrips,
      note:
        run === streamBase
          ? `${run.modelItems} keys for ${run.spellings} spellings; held-out titles: ${heldOut.modelItems} keys`
          : `keys saved ${saved(run, streamBase)}, disagreement ${share(run.disagreeingLines, run.lines)} of lines; ` +
            `held-out titles: keys saved ${saved(heldOut, heldOutBase)}, disagreement ${share(heldOut.disagreeingLines, heldOut.lines)}`,
    };
  });
}

/** Model items saved against the baseline, as "12.3%". */
function saved(run: VariantRun, base: VariantRun): string {
  return share(base.modelItems - run.modelItems, base.modelItems);
}

function share(part: number, whole: number): string {
  return whole === 0 ? "—" : `${((100 * part) / whole).toFixed(1)}%`;
}
