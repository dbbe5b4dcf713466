import { hash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { SeniorityPair } from "@seniority/seniority-model";
import { writeFileAtomic } from "./writeFileAtomic.js";

/**
 * The pairs a warm-up sends, in order, saved beside its checkpoint (`<checkpoint>.plan`) so a
 * resumed run sends the same pairs without reading the history again: one `["company","title"]`
 * JSON array a line. The checkpoint holds the file's SHA-256, so a changed plan is never resumed.
 */
export const WarmPlanFile = {
  pathFor(checkpoint: string): string {
    return `${checkpoint}.plan`;
  },

  /** Writes the plan (atomically); resolves to its digest. */
  async write(path: string, pairs: readonly SeniorityPair[]): Promise<string> {
    const text = pairs.map((p) => `${JSON.stringify([p.company, p.title])}\n`).join("");
    await writeFileAtomic(path, text);
    return hash("sha256", text, "hex");
  },

  /** Reads the plan back; throws when it is missing or not the one `digest` names. */
  async read(path: string, digest: string): Promise<SeniorityPair[]> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new Error(
        `the plan ${path} of the checkpoint cannot be read (${(error as NodeJS.ErrnoException).code})`,
        {
          cause: error,
        },
      );
    }
    if (hash("sha256", text, "hex") !== digest)
      throw new Error(`the plan ${path} is not the one its checkpoint was written for`);
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [company, title] = JSON.parse(line) as [string, string];
        return { company, title };
      });
  },
};
