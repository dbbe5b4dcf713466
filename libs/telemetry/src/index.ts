export { createLogger, type Logger } from "./createLogger.js";
export { createRegistry } from "./createRegistry.js";
export { HttpEndpoint, type HttpEndpointOptions, type Readiness, type ExtraRoute } from "./HttpEndpoint.js";
export { setupTracing } from "./setupTracing.js";
export { redactUrls } from "./redactUrls.js";
