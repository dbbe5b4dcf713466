import { formatTextTable } from "../core/formatTable.js";
import { measureWarm } from "./warm.js";

/** `node bench/seedIdeas/warm.js [files] [linesPerFile]`: the warm-up rows of the seedIdeas table. */
export async function main(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const rows = await measureWarm({
    ...(args[0] ? { files: Number(args[0]) } : {}),
    ...(args[1] ? { linesPerFile: Number(args[1]) } : {}),
    log: (message) => console.log(`[warm ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`),
  });
  console.log(JSON.stringify(rows, null, 2));
  const table = {
    title: "seedIdeas: warm-up",
    columns: ["variant", "model items", "store round trips"],
    rows: rows.map((r) => [r.variant, r.modelItems, r.storeRoundTrips ?? "—"]),
  };
  console.log(formatTextTable(table));
  return 0;
}
