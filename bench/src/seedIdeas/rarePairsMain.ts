// `node bench/dist/seedIdeas/rarePairsMain.js [files] [linesPerFile] [warmFiles]` (after
// `npm run build`): the rare-pair rows of the seedIdeas table, printed as JSON and as a table.
// Scratch files go to /dev/shm when there is one (the outputs' fsyncs are not what is measured).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureRarePairs } from "./rarePairs.js";

const [files, linesPerFile, warmFiles] = process.argv.slice(2).map(Number);
const workDir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "seed-rare-"));
try {
  const rows = await measureRarePairs({
    workDir,
    stream: { seed: 1, files: files || 90, linesPerFile: linesPerFile || 3000 },
    ...(warmFiles !== undefined && !Number.isNaN(warmFiles) ? { warmFiles } : {}),
    log: (message) => console.error(message),
  });
  console.log(JSON.stringify(rows, null, 2));
  for (const row of rows)
    console.log(`| ${row.variant} | ${row.modelItems} | ${row.storeRoundTrips ?? "—"} | ${row.note} |`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
