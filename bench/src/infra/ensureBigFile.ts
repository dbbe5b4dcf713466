import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { generatePostings } from "@seniority/datagen";
import { TMP_DIR } from "../core/paths.js";

/**
 * One JSONL file of at least `minBytes`, made of the generator's lines (its stream of minute
 * files written back to back), generated once and kept under bench/results/tmp/data/.
 */
export async function ensureBigFile(
  minBytes: number,
  seed: number,
  log: (m: string) => void,
): Promise<{ path: string; lines: number; bytes: number }> {
  const dir = join(TMP_DIR, "data", `big-${minBytes}-s${seed}`);
  const path = join(dir, "1721183940.jsonl");
  const marker = join(dir, ".summary.json");
  if (!existsSync(marker)) {
    mkdirSync(dir, { recursive: true });
    log(`generating one file of ≥ ${(minBytes / 2 ** 20).toFixed(0)} MB`);
    const started = performance.now();
    const partial = `${path}.partial`;
    const out = createWriteStream(partial);
    let bytes = 0;
    let lines = 0;
    let text = "";
    outer: for (const file of generatePostings({ seed, files: 1_000_000 })) {
      for (const line of file.lines()) {
        if (typeof line.text !== "string") continue; // only malformed lines are Buffers, and none are asked for
        const chunk = line.text;
        text += chunk + "\n";
        bytes += Buffer.byteLength(chunk) + 1;
        lines++;
        if (text.length >= 1 << 20) {
          if (!out.write(text)) await once(out, "drain");
          text = "";
        }
        if (bytes >= minBytes) break outer;
      }
    }
    out.end(text);
    await finished(out);
    renameSync(partial, path);
    writeFileSync(marker, JSON.stringify({ lines, bytes }));
    log(
      `generated ${lines} lines, ${(bytes / 2 ** 20).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const { lines, bytes } = JSON.parse(readFileSync(marker, "utf8")) as { lines: number; bytes: number };
  return { path, lines, bytes };
}
