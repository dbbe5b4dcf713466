// Redis, set up once for the whole system: the client factory (fail-fast, TLS, ACL, cluster), Lua
// scripts by SHA, pipelines that fail whole, and the TLS/password material read from files.
export { duplicateClient, type RedisClient } from "./RedisClient.js";
export {
  createRedisClient,
  parseClusterSpec,
  reconnectDelayMs,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_SOCKET_TIMEOUT_MS,
  type RedisConnectionOptions,
} from "./createRedisClient.js";
export { RedisScript, type ScriptCall } from "./RedisScript.js";
export { execPipeline } from "./execPipeline.js";
export {
  readRedisSecurity,
  redisConnection,
  redisSecurityFiles,
  RedisSecurityError,
  type RedisSecurity,
  type RedisSecurityFiles,
} from "./RedisSecurity.js";
