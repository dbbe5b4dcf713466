export { integer, port, number, durationMs, hostPort, dialAddress, oneOf, boolean } from "./parsers.js";
export {
  addGrpcServerFlags,
  grpcServerSettings,
  type GrpcServerFlags,
  type GrpcServerSettings,
} from "./grpcServerFlags.js";
export { addDialTlsFlags, dialTlsSettings, type DialTlsSettings } from "./dialTlsFlags.js";
export { runProgram, EXIT_USAGE } from "./runCommand.js";
export { untilSignal } from "./untilSignal.js";
export { checkListenHost } from "./checkListenHost.js";
