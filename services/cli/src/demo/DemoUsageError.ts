/** A demo setting that cannot work (reported as one line, exit code 2). */
export class DemoUsageError extends Error {
  override readonly name = "DemoUsageError";
}
