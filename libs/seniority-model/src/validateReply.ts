import type { SeniorityResponseBatch } from "@seniority/proto";
import { MAX_LEVEL, MIN_LEVEL, isLevel } from "./contract.js";

/** A reply that breaks the contract; nothing from it may be used or cached. */
export class InvalidReplyError extends Error {
  override readonly name = "InvalidReplyError";
}

/**
 * The uuid of request item `index`: items are numbered 1..n, never 0, because 0 is proto3's
 * default — an answer whose uuid is missing on the wire can never pass for a real one.
 */
export const uuidOf = (index: number): number => index + 1;

/**
 * Checks a reply to a request of `sent` items numbered with uuidOf: every uuid answered exactly
 * once, every level an integer in 1..7. Returns the levels in request order; throws
 * InvalidReplyError naming the first problem.
 */
export function validateReply(sent: number, reply: SeniorityResponseBatch): number[] {
  const levels = new Array<number>(sent).fill(0);
  for (const { uuid, seniority } of reply.batch) {
    const index = uuid - 1;
    if (!Number.isInteger(uuid) || index < 0 || index >= sent) {
      throw new InvalidReplyError(`uuid ${uuid} was not in the batch of ${sent}`);
    }
    if (levels[index] !== 0) throw new InvalidReplyError(`uuid ${uuid} was answered twice`);
    if (!isLevel(seniority)) {
      throw new InvalidReplyError(
        `level ${seniority} for uuid ${uuid} is outside ${MIN_LEVEL}..${MAX_LEVEL}`,
      );
    }
    levels[index] = seniority;
  }
  const missing = levels.indexOf(0);
  if (missing !== -1) throw new InvalidReplyError(`uuid ${uuidOf(missing)} was not answered`);
  return levels;
}
