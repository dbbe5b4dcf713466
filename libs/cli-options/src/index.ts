export { integer, port, number, durationMs, hostPort, oneOf } from "./parsers.js";
export { runProgram, EXIT_USAGE } from "./runCommand.js";
