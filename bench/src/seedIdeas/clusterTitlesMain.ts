import { formatTextTable } from "../core/formatTable.js";
import { clusterTitleRows } from "./clusterTitles.js";
import { measureClusterTitles, SEED_IDEAS_STREAM } from "./measureClusterTitles.js";

/**
 * `node bench/seedIdeas/clusterTitles.js [files]`: the cluster idea's seedIdeas rows on the shared
 * stream (SEED_IDEAS_STREAM, or its first `files` minute files), then every figure as JSON.
 */
export async function main(args: readonly string[]): Promise<number> {
  const files = args[0] === undefined ? SEED_IDEAS_STREAM.files : Number(args[0]);
  if (!Number.isInteger(files) || files! < 1) {
    console.error(`usage: node bench/seedIdeas/clusterTitles.js [files ≥ 1], got "${args[0]}"`);
    return 2;
  }
  const started = performance.now();
  const figures = await measureClusterTitles({ stream: { ...SEED_IDEAS_STREAM, files } });
  const rows = clusterTitleRows(figures);
  console.log(
    formatTextTable({
      title: `seedIdeas: cluster titles (${files} files, ${figures.stream.runs[0]!.lines} lines)`,
      columns: ["variant", "model items", "store round trips", "note"],
      rows: rows.map((r) => [r.variant, r.modelItems, r.storeRoundTrips ?? "—", r.note]),
    }),
  );
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, ...figures }, null, 2));
  return 0;
}
