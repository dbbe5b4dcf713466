export { integer, port, number, durationMs, hostPort, oneOf, boolean } from "./parsers.js";
export { runProgram, EXIT_USAGE } from "./runCommand.js";
export { untilSignal } from "./untilSignal.js";
export { checkListenHost } from "./checkListenHost.js";
