import { readFile } from "node:fs/promises";
import type { NormalizationMode } from "@seniority/pair-key";
import { writeFileAtomic } from "./writeFileAtomic.js";

/** What decides the plan: a checkpoint is resumed only by a run with the same settings. */
export interface WarmSettings {
  location: string;
  /** The proxy's cache namespace (its model version and normalization). */
  namespace: string;
  normalization: NormalizationMode;
  top: number;
  minCount: number;
  counters: number;
}

/** The small file `--checkpoint` names: the settings, the plan's digest and size, and how far sending got. */
export interface WarmCheckpointState extends WarmSettings {
  version: 1;
  planDigest: string;
  planPairs: number;
  /** Pairs of the plan sent and answered, from its start. */
  sent: number;
}

export const WarmCheckpoint = {
  /** The checkpoint at `path`, or undefined when there is none. Throws for a file that is not one. */
  async read(path: string): Promise<WarmCheckpointState | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const state = JSON.parse(text) as Partial<WarmCheckpointState>;
    if (state.version !== 1 || typeof state.sent !== "number" || typeof state.planDigest !== "string") {
      throw new Error(`${path} is not a warm checkpoint`);
    }
    return state as WarmCheckpointState;
  },

  /** Replaces the checkpoint at `path` atomically. */
  write(path: string, state: WarmCheckpointState): Promise<void> {
    return writeFileAtomic(path, `${JSON.stringify(state)}\n`);
  },

  /** Why `state` cannot be resumed with `settings` ("location", "top" …), or undefined if it can. */
  mismatch(state: WarmCheckpointState, settings: WarmSettings): string | undefined {
    for (const field of ["location", "namespace", "normalization", "top", "minCount", "counters"] as const) {
      if (state[field] !== settings[field]) {
        return `it was written for ${field} ${JSON.stringify(state[field])}, this run has ${JSON.stringify(settings[field])}`;
      }
    }
    return undefined;
  },
};
