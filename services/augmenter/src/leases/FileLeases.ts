/**
 * Leases that let several augmenter replicas share one input: a file is processed by one replica
 * at a time, and a dead replica's file is taken over once its lease expires.
 */
export interface FileLeases {
  /**
   * Takes the lease of input `key`. Resolves undefined when another replica holds it (busy: try
   * again later); rejects when the lease store cannot be reached (never process without a lease).
   */
  acquire(key: string): Promise<FileLease | undefined>;
  /** Releases every lease still held and disconnects. Idempotent. */
  close(): Promise<void>;
}

/** A lease held on one input file, kept alive in the background until released or lost. */
export interface FileLease {
  /**
   * Aborts when the lease is lost (another owner took it, or it could not be renewed within its
   * time to live); the reason is a LeaseLostError. Never aborts after release().
   */
  readonly signal: AbortSignal;
  /** Stops renewing and gives the lease up if it is still ours. Idempotent; never rejects. */
  release(): Promise<void>;
}
