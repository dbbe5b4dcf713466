import { createReadStream, createWriteStream, readdirSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { finished } from "node:stream/promises";

/**
 * The floor for the augmenter: the least a Node program can do for the same job — read each
 * .jsonl file of a folder, parse every line (as the augmenter must, to find company and title),
 * splice a constant `"seniority":3` before the closing brace, write the line to the same name in
 * the output folder. No cache, no network, no validation. Prints {"lines":N} on stdout.
 * Usage: node nodeFloorMain.js <inputDir> <outputDir>
 */
const [inputDir, outputDir] = process.argv.slice(2);
if (!inputDir || !outputDir) {
  console.error("usage: nodeFloorMain.js <inputDir> <outputDir>");
  process.exit(2);
}

let lines = 0;
const splice = (line: string): string => {
  JSON.parse(line);
  lines++;
  return `${line.slice(0, line.lastIndexOf("}"))},"seniority":3}\n`;
};

for (const name of readdirSync(inputDir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()) {
  const out = createWriteStream(join(outputDir, name));
  let rest = "";
  for await (const chunk of createReadStream(join(inputDir, name), {
    encoding: "utf8",
    highWaterMark: 1 << 20,
  })) {
    const parts = (rest + (chunk as string)).split("\n");
    rest = parts.pop()!;
    let text = "";
    for (const line of parts) if (line.trim()) text += splice(line);
    if (!out.write(text)) await once(out, "drain");
  }
  if (rest.trim()) out.write(splice(rest));
  out.end();
  await finished(out);
}
process.stdout.write(JSON.stringify({ lines }) + "\n");
