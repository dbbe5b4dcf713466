/**
 * What the batcher and retries ask before a batch goes to the model. ModelPacer paces one replica;
 * SharedModelPacer adds the check shared by every replica on one Redis.
 *
 * Every batch charged (reserve() returned 0, or take() resolved) must be ended by answered() once
 * its model call is over, whatever the outcome: until then it counts as possibly still arriving at
 * the model, so it holds its place in the window.
 */
export interface Pacer {
  /** The largest batch allowed now (the model's capacity per second; less while pacing locally for several replicas). */
  readonly maxItemsPerSend: number;
  /**
   * 0: a batch of `items` is charged and may leave now; otherwise the ms to wait before asking
   * again (nothing charged). Synchronous when no shared state has to be asked.
   */
  reserve(items: number): number | Promise<number>;
  /** Waits until a batch of `items` may leave, then charges it (for a retried batch). */
  take(items: number, signal?: AbortSignal): Promise<void>;
  /** A charged batch of `items` is over (answered or failed), now. */
  answered(items: number): void;
  /**
   * Items a batch may have to leave now, when known locally (optional): lets the batcher send a
   * slightly smaller batch into the room small interactive batches left, instead of waiting.
   */
  room?(): number;
  /**
   * Ms until a batch of `items` may leave (0: now), nothing charged, when known locally (optional;
   * ModelPacer, SharedModelPacer): lets the batcher look again when a smaller batch would fit,
   * not a full one.
   */
  waitMs?(items: number): number;
}
