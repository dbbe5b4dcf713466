import type { Lane } from "@seniority/seniority-model";
import { BatchFlight } from "../core/BatchFlight.js";
import type { MissItem } from "../core/ModelBatchExecutor.js";

/**
 * A miss on its way through the claims: claiming, waiting for another replica, or queued for the
 * model. Its own flight and its own batcher sink, so a pair costs one promise, not three.
 */
export class ClaimEntry extends BatchFlight<number> {
  /** The lane it is counted under while pending (its lane may change later by promote()). */
  readonly countedIn: Lane;

  constructor(
    readonly item: MissItem,
    public lane: Lane,
    /** Asked by a peer that forwarded it here: never forwarded again. */
    readonly forwarded: boolean,
  ) {
    super();
    this.countedIn = lane;
  }

  get key(): Buffer {
    return Buffer.from(this.item.hex, "hex");
  }

  /** An interactive caller joining: move the pair ahead, now or when it reaches the batcher. */
  override promote(): void {
    this.lane = "interactive";
    super.promote();
  }
}
