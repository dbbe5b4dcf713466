import type { ResilientStore } from "../stores/ResilientStore.js";
import type { L1Cache } from "./L1Cache.js";
import type { BatchContext } from "./MicroBatcherOptions.js";
import type { MissItem } from "./ModelBatchExecutor.js";

/**
 * Told when a model batch is over: `stored` resolves to true once its answers are in the store
 * (false: buffered for replay); undefined when the batch failed. Claims are released here.
 */
export type BatchSettled = (items: readonly MissItem[], stored: Promise<boolean> | undefined) => void;

type Execute = (items: MissItem[], context: BatchContext) => Promise<number[]>;

/**
 * The one writer of L1 and the store. The model's answers go to L1 and, in one setMany a batch,
 * to the store before any waiter is answered, so a key is always either in flight or in L1;
 * answers found elsewhere (the store, another replica) go to L1 only. A failed batch writes nothing.
 */
export class CacheWrites {
  private settled: BatchSettled | undefined;

  constructor(
    private readonly l1: L1Cache,
    private readonly store: ResilientStore,
  ) {}

  /** The one listener of settled batches (the replica claims). */
  onSettled(listener: BatchSettled): void {
    this.settled = listener;
  }

  /** An answer read from the store or given by another replica: into L1. */
  remember(hex: string, level: number): void {
    this.l1.set(hex, level);
  }

  /** `execute` (the model hop) with its answers recorded before the batcher hands them out. */
  recording(execute: Execute): Execute {
    return async (items, context) => {
      let levels: number[];
      try {
        levels = await execute(items, context);
      } catch (error) {
        this.settled?.(items, undefined);
        throw error;
      }
      items.forEach((item, i) => this.l1.set(item.hex, levels[i]!));
      const stored = this.store.write(
        items.map((item, i) => ({ key: Buffer.from(item.hex, "hex"), level: levels[i]! })),
      );
      this.settled?.(items, stored);
      return levels;
    };
  }
}
