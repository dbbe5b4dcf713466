/** Anything a test starts and must close (RedisServer, S3Server, ModelSim, FakeModel, …). */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Starts several servers at once, like `Promise.all`, but when one fails to start it closes every
 * sibling that did start (no orphaned process or temp dir) before rejecting with the first error.
 */
export async function startAll<const T extends readonly Promise<Closable>[]>(
  ...starts: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed === undefined)
    return settled.map((result) => (result as PromiseFulfilledResult<Closable>).value) as {
      -readonly [K in keyof T]: Awaited<T[K]>;
    };
  await Promise.allSettled(
    settled.map((result) => (result.status === "fulfilled" ? result.value.close() : undefined)),
  );
  throw failed.reason;
}
