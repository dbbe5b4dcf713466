/**
 * Why a held lease ended early:
 * - "taken": a renewal found the key gone or holding another owner's token (this replica stalled
 *   past the time to live, or someone removed the key); another replica may be doing the file now.
 * - "unreachable": no renewal succeeded for a whole time to live, so the lease may have expired.
 */
export type LeaseLossKind = "taken" | "unreachable";

/** The abort reason of a lost lease's signal. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";

  constructor(
    readonly key: string,
    readonly kind: LeaseLossKind,
    options?: ErrorOptions,
  ) {
    super(
      kind === "taken"
        ? `lease of ${key} lost: another owner holds it now`
        : `lease of ${key} lost: the lease store was unreachable for a whole time to live`,
      options,
    );
  }
}
