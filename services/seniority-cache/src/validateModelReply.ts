import type { SeniorityResponseBatch } from "@seniority/proto";
import { MAX_LEVEL, MIN_LEVEL } from "./store/index.js";

/** A model reply that breaks the contract; nothing from it may be cached. */
export class InvalidModelReplyError extends Error {
  override readonly name = "InvalidModelReplyError";
}

/**
 * Checks a reply to a batch whose items had uuids 0..sent-1: every uuid answered exactly once,
 * every level an integer in 1..7. Returns the levels indexed by uuid; throws
 * InvalidModelReplyError naming the first problem.
 */
export function validateModelReply(sent: number, reply: SeniorityResponseBatch): number[] {
  const levels = new Array<number>(sent).fill(0);
  for (const { uuid, seniority } of reply.batch) {
    if (!Number.isInteger(uuid) || uuid < 0 || uuid >= sent) {
      throw new InvalidModelReplyError(`uuid ${uuid} was not in the batch of ${sent}`);
    }
    if (levels[uuid] !== 0) throw new InvalidModelReplyError(`uuid ${uuid} was answered twice`);
    if (!Number.isInteger(seniority) || seniority < MIN_LEVEL || seniority > MAX_LEVEL) {
      throw new InvalidModelReplyError(
        `level ${seniority} for uuid ${uuid} is outside ${MIN_LEVEL}..${MAX_LEVEL}`,
      );
    }
    levels[uuid] = seniority;
  }
  const missing = levels.indexOf(0);
  if (missing !== -1) throw new InvalidModelReplyError(`uuid ${missing} was not answered`);
  return levels;
}
