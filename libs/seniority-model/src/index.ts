// The model's contract and its one gRPC client: what every hop (model, proxy, peer, in-process
// cache) shares.
export {
  MIN_LEVEL,
  MAX_LEVEL,
  MAX_BATCH_SIZE,
  LANES,
  PRIORITY_METADATA_KEY,
  isLevel,
  type Lane,
} from "./contract.js";
export type { SeniorityPair } from "./SeniorityPair.js";
export type { SeniorityResolver, ResolveOptions } from "./SeniorityResolver.js";
export { validateReply, uuidOf, InvalidReplyError } from "./validateReply.js";
export { SeniorityClient, ClientClosedError, type SeniorityClientOptions } from "./SeniorityClient.js";
export {
  RETRYABLE_STATUSES,
  BatchDeadlineError,
  type CallPolicyOptions,
  type CircuitBreakerOptions,
} from "./CallPolicy.js";
