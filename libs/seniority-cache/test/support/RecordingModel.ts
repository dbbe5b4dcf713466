import { CacheError } from "../../src/core/CacheError.js";
import type { ModelBackend } from "../../src/core/ModelBackend.js";
import type { SeniorityPair } from "@seniority/seniority-model";

/** A deterministic level from the title alone (like model-sim's answers, checkable). */
export const levelOf = (title: string): number => (title.length % 7) + 1;

/**
 * An in-process model backend that records each batch; `failing` makes batches fail with
 * UNAVAILABLE; `hold()` keeps batches waiting until the returned release() is called.
 */
export class RecordingModel implements ModelBackend {
  readonly batches: SeniorityPair[][] = [];
  failing = false;
  closed = 0;
  private gate: Promise<void> | undefined;

  async resolve(pairs: readonly SeniorityPair[]): Promise<number[]> {
    this.batches.push([...pairs]);
    await this.gate;
    if (this.failing) throw new CacheError("UNAVAILABLE", "the seniority model is unavailable: test");
    return pairs.map((pair) => levelOf(pair.title));
  }

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  get items(): number {
    return this.batches.reduce((sum, batch) => sum + batch.length, 0);
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
