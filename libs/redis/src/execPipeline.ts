import type { ChainableCommander } from "ioredis";

/**
 * Runs a pipeline and returns its replies in order. ioredis resolves a pipeline even when
 * some of its commands failed (each reply is `[error, value]`); here the first error rejects the
 * whole call, so a store never returns half an answer.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = await pipeline.exec();
  if (replies === null) throw new Error("redis pipeline was discarded");
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
