import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The first line of the first `*.jsonl` file (by name) in `dir`; undefined when there is none. */
export async function readFirstLine(dir: string): Promise<string | undefined> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => !name.startsWith(".") && name.endsWith(".jsonl"))
    .sort();
  for (const name of names) {
    const input = createReadStream(join(dir, name));
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const line of lines) return line;
    } finally {
      lines.close();
      input.destroy();
    }
  }
  return undefined;
}
