export * from "./gen/seniority_model.js";
export { findInvalidUtf8, type InvalidUtf8Item } from "./findInvalidUtf8.js";
export {
  StrictSeniorityModelDefinition,
  invalidUtf8In,
  describeInvalidUtf8,
} from "./StrictSeniorityModelDefinition.js";
export {
  CacheAdminServiceDefinition,
  type CacheAdminServiceImplementation,
  type CacheAdminServiceClient,
  Pair,
  LookupRequest,
  LookupResult,
  LookupResponse,
  InvalidateRequest,
  InvalidateResponse,
  GetStatsRequest,
  GetStatsResponse,
} from "./gen/seniority/cache/v1/admin.js";

/** The wire path every existing client of the model calls; the proxy serves exactly this. */
export const INFER_SENIORITY_PATH = "/SeniorityModel/InferSeniority";

export { DESCRIPTOR_SET_PATH } from "./descriptorSetPath.js";
export { addServerReflection } from "./addServerReflection.js";
export { ServerReflectionV1AlphaService } from "./ServerReflectionV1AlphaService.js";
