// `node bench/dist/seedIdeas/rarePairsMain.js [files] [linesPerFile]` (after `npm run build`):
// the rare-pair rows of the seedIdeas table, printed as JSON and as a table.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureRarePairs } from "./rarePairs.js";

const [files, linesPerFile] = process.argv.slice(2).map(Number);
const workDir = mkdtempSync(join(tmpdir(), "seed-rare-"));
try {
  const rows = await measureRarePairs({
    workDir,
    stream: { seed: 1, files: files || 60, linesPerFile: linesPerFile || 5000 },
    log: (message) => console.error(message),
  });
  console.log(JSON.stringify(rows, null, 2));
  for (const row of rows)
    console.log(`| ${row.variant} | ${row.modelItems} | ${row.storeRoundTrips ?? "—"} | ${row.note} |`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
