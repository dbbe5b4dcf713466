export type { Pair, SeniorityResolver } from "./SeniorityResolver.js";
export {
  SeniorityClient,
  type SeniorityClientOptions,
  type Priority,
  PRIORITY_METADATA_KEY,
  MAX_BATCH_SIZE,
  RETRYABLE_STATUSES,
} from "./SeniorityClient.js";
export { InvalidResponseError } from "./InvalidResponseError.js";
export { MIN_LEVEL, MAX_LEVEL } from "./levelsFromResponse.js";
