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
export { TlsFileError } from "./tls/TlsFileError.js";
export { checkTlsFiles, type TlsFileSet } from "./tls/checkTlsFiles.js";
export {
  createServerTls,
  DEFAULT_TLS_REFRESH_MS,
  type ServerTls,
  type ServerTlsOptions,
} from "./tls/createServerTls.js";
export { setsTls, type ClientTlsOptions } from "./tls/ClientTlsOptions.js";
export { dialTarget, type DialTarget } from "./tls/dialTarget.js";
export {
  serverChannelOptions,
  GRPC_SERVER_DEFAULTS,
  type ServerTransportOptions,
} from "./tls/serverChannelOptions.js";
export { describeTransportFailure } from "./tls/describeTransportFailure.js";
