import { fileURLToPath } from "node:url";

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

/**
 * Path of the FileDescriptorSet of every proto in proto/ (written by `npm run build:proto`),
 * used by gRPC server reflection.
 */
export const DESCRIPTOR_SET_PATH = fileURLToPath(new URL("../descriptor.binpb", import.meta.url));
