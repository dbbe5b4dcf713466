import type { SeniorityResponseBatch } from "@seniority/proto";
import { InvalidResponseError } from "./InvalidResponseError.js";

export const MIN_LEVEL = 1;
export const MAX_LEVEL = 7;

/**
 * Maps a response to levels in request order, given that request item i was sent with uuid i + 1
 * (uuid 0 is proto3's default, so a missing uuid can never pass for a real one). Throws
 * InvalidResponseError unless every uuid 1..count is answered exactly once with a level in 1..7.
 * @internal
 */
export function levelsFromResponse(response: SeniorityResponseBatch, count: number): number[] {
  if (response.batch.length !== count) {
    throw new InvalidResponseError(`expected ${count} answers, got ${response.batch.length}`);
  }
  const levels = new Array<number>(count).fill(0);
  for (const item of response.batch) {
    const index = item.uuid - 1;
    if (!Number.isInteger(item.uuid) || index < 0 || index >= count) {
      throw new InvalidResponseError(`unexpected uuid ${item.uuid}`);
    }
    if (levels[index] !== 0) throw new InvalidResponseError(`uuid ${item.uuid} answered twice`);
    if (!Number.isInteger(item.seniority) || item.seniority < MIN_LEVEL || item.seniority > MAX_LEVEL) {
      throw new InvalidResponseError(
        `level ${item.seniority} for uuid ${item.uuid} is outside ${MIN_LEVEL}..${MAX_LEVEL}`,
      );
    }
    levels[index] = item.seniority;
  }
  return levels;
}
