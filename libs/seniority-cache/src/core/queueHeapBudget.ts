import type { L1Kind } from "./L1Cache.js";
import { oldSpaceLimitBytes } from "./oldSpaceLimit.js";

/**
 * Heap one queued miss costs, bytes: the decoded request item and its strings, the key memo entry,
 * the flight (Entry, its promise, the singleflight entry) and the batcher's slot. Measured through
 * gRPC with 200k misses queued behind a held model (memory store): 1,545 B of heap per item
 * (1,960 before the per-item savings of issue 9); rounded up for longer strings.
 */
export const QUEUED_ITEM_BYTES = 2048;
/**
 * Heap one L1 entry costs when full, bytes, by L1 kind: lru-cache's entries live on the V8 heap
 * (1M entries took ~150 MB of live heap); CompactL1's table is one ArrayBuffer outside it (V8's
 * heap limit does not count it), so it costs the heap nothing however large --l1-entries is.
 */
export const L1_ENTRY_BYTES: Readonly<Record<L1Kind, number>> = { lru: 160, compact: 0 };
/** Heap one key-memo spelling costs, bytes (two generations of keyMemoEntries each). */
export const MEMO_ENTRY_BYTES = 250;
/** Heap the process needs with nothing cached or queued (code, gRPC, metrics), bytes. */
export const BASE_HEAP_BYTES = 64 * 2 ** 20;
/** Of the heap limit, what may be planned at all; the rest is GC headroom and request spikes. */
export const PLANNED_HEAP_FRACTION = 0.75;
/** Default bulk bound: this share of the queue budget (the interactive lane gets a tenth of it). */
const BULK_SHARE = 1 / 1.1;

export interface QueueHeapBudget {
  /** The V8 old-space limit, bytes (--max-old-space-size; oldSpaceLimitBytes()). */
  heapLimitBytes: number;
  /** Queued items (both lanes) the heap can hold besides a full L1 and memo. */
  queueItems: number;
  /** Default --max-queued (bulk), capped at 1,000,000. */
  defaultMaxQueued: number;
}

/** What this process's heap can queue, given the L1 and memo sizes it will fill. */
export function queueHeapBudget(options: {
  l1Entries: number;
  /** Default compact, as createL1's. */
  l1?: L1Kind;
  keyMemoEntries?: number;
  heapLimitBytes?: number;
}): QueueHeapBudget {
  const heapLimitBytes = options.heapLimitBytes ?? oldSpaceLimitBytes();
  const fixed =
    BASE_HEAP_BYTES +
    options.l1Entries * L1_ENTRY_BYTES[options.l1 ?? "compact"] +
    2 * (options.keyMemoEntries ?? 100_000) * MEMO_ENTRY_BYTES;
  const queueItems = Math.max(
    0,
    Math.floor((heapLimitBytes * PLANNED_HEAP_FRACTION - fixed) / QUEUED_ITEM_BYTES),
  );
  return {
    heapLimitBytes,
    queueItems,
    defaultMaxQueued: Math.min(1_000_000, Math.floor(queueItems * BULK_SHARE)),
  };
}

/**
 * Why a queue of `queued` items (both lanes) cannot fit, or undefined when it fits: one line for
 * the CLI, naming the flags that size it.
 */
export function queueHeapProblem(queued: number, budget: QueueHeapBudget): string | undefined {
  if (queued <= budget.queueItems) return undefined;
  const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
  return (
    `--max-queued: ${queued} queued items (both lanes) need ~${mb(queued * QUEUED_ITEM_BYTES)} of heap ` +
    `(${QUEUED_ITEM_BYTES} bytes each), but the heap limit of ${mb(budget.heapLimitBytes)} ` +
    `(node --max-old-space-size) leaves room for ${budget.queueItems} beside L1 (--l1-entries); ` +
    `lower --max-queued / --max-queued-interactive or raise the heap limit`
  );
}
