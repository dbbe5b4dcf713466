export { freePort } from "./freePort.js";
export { RedisServer, type RedisServerOptions } from "./RedisServer.js";
export { useRedis, type RedisFixture } from "./useRedis.js";
export { S3Server, S3RVER_CREDENTIALS } from "./S3Server.js";
export { startAll, type Closable } from "./startAll.js";
export { waitFor } from "./waitFor.js";
export { TestCertificates, type CertificateFiles, type IssueOptions } from "./TestCertificates.js";
export { generateCertificates, type GeneratedCertificates } from "./generateCertificates.js";
export { askReflection, type ReflectionAnswer } from "./askReflection.js";
