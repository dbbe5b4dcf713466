// The caching proxy as a service: its gRPC server and service (over the caching core in
// @seniority/seniority-cache) and the `seniority cache` / `seniority admin` commands.
export { CacheServer, DEFAULT_MAX_MESSAGE_BYTES, type CacheServerOptions } from "./grpc/CacheServer.js";
export { CacheService, type CacheServiceConfig } from "./grpc/CacheService.js";
export { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "./grpc/RequestLimits.js";
export { createCacheCommand } from "./cli/createCacheCommand.js";
export { createAdminCommand } from "./cli/createAdminCommand.js";
export { createRetireCommand } from "./cli/createRetireCommand.js";
export { createExportCommand } from "./cli/createExportCommand.js";
export { createImportCommand } from "./cli/createImportCommand.js";
