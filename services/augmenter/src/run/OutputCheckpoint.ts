import { Readable } from "node:stream";
import { ObjectNotFoundError, type ObjectStore } from "@seniority/object-store";

/** The checkpoint's key under the output prefix ("_" marks it as not an output, like Hadoop's _SUCCESS). */
export const CHECKPOINT_KEY = "_checkpoint.json";
const VERSION = 1;

/** What the checkpoint is valid for: outputs of this input, asked of this cache namespace. */
export interface CheckpointScope {
  /** The input's location (ObjectStore.location). */
  input: string;
  /** The cache namespace the run asks for ("" when unknown); outputs depend on it. */
  namespace: string;
}

/** The object's content. */
interface CheckpointJson extends CheckpointScope {
  version: number;
  /** Every input key ≤ this one was done (its output matched) when the checkpoint was written. */
  after: string;
  /** ISO time of the write, for operators. */
  written: string;
}

export type CheckpointRead =
  { kind: "found"; after: string } | { kind: "missing" } | { kind: "ignored"; reason: string };

/**
 * The augmenter's durable watermark, `_checkpoint.json` beside the outputs: "every input key up to
 * `after` is done". A run lists only after it, so a run with nothing to do costs the files after
 * the checkpoint, not all files ever. Each write is one atomic put (nothing half-written is ever
 * read). A checkpoint of another input or namespace, or one that cannot be parsed, is ignored (a
 * full scan follows): a stale checkpoint can only cost work, never skip a file that is not done.
 */
export class OutputCheckpoint {
  constructor(
    private readonly output: ObjectStore,
    private readonly scope: CheckpointScope,
    private readonly now: () => number = Date.now,
  ) {}

  async read(signal?: AbortSignal): Promise<CheckpointRead> {
    let text: string;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.output.get(CHECKPOINT_KEY, signal)) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString("utf8");
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return { kind: "missing" };
      throw error;
    }
    let parsed: Partial<CheckpointJson>;
    try {
      parsed = JSON.parse(text) as Partial<CheckpointJson>;
    } catch {
      return { kind: "ignored", reason: "not JSON" };
    }
    if (parsed.version !== VERSION) return { kind: "ignored", reason: `version ${String(parsed.version)}` };
    if (typeof parsed.after !== "string" || parsed.after === "") return { kind: "ignored", reason: "no key" };
    if (parsed.input !== this.scope.input)
      return { kind: "ignored", reason: `input ${String(parsed.input)}` };
    if (parsed.namespace !== this.scope.namespace)
      return { kind: "ignored", reason: `namespace ${String(parsed.namespace)}` };
    return { kind: "found", after: parsed.after };
  }

  async write(after: string, signal?: AbortSignal): Promise<void> {
    const record: CheckpointJson = {
      version: VERSION,
      ...this.scope,
      after,
      written: new Date(this.now()).toISOString(),
    };
    await this.output.put(
      CHECKPOINT_KEY,
      Readable.from([Buffer.from(JSON.stringify(record) + "\n")]),
      {},
      signal,
    );
  }
}
