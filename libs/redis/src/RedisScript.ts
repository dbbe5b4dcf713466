import { createHash } from "node:crypto";
import { execPipeline } from "./execPipeline.js";
import type { RedisClient } from "./RedisClient.js";

/** One call of a script: its keys and arguments. */
export interface ScriptCall {
  keys: readonly (string | Buffer)[];
  args: readonly (string | Buffer | number)[];
}

/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL, which also caches it on the
 * server) only when the server does not know it yet — after a restart or on a new cluster node.
 * Keys and arguments travel as one flat argument list, so callers keep each call to a few
 * thousand keys (see the chunk sizes of the callers).
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }

  async run(
    client: RedisClient,
    keys: readonly (string | Buffer)[],
    args: readonly (string | Buffer | number)[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }

  /**
   * Several calls in one pipeline (one write, one round trip); replies in order. If the server does
   * not know the script, the whole pipeline is sent again with EVAL (one more round trip).
   */
  async runMany(client: RedisClient, calls: readonly ScriptCall[]): Promise<unknown[]> {
    if (calls.length === 1) return [await this.run(client, calls[0]!.keys, calls[0]!.args)];
    const send = (full: boolean): Promise<unknown[]> => {
      const pipeline = client.pipeline();
      for (const { keys, args } of calls) {
        if (full) pipeline.eval(this.lua, keys.length, ...keys, ...args);
        else pipeline.evalsha(this.sha, keys.length, ...keys, ...args);
      }
      return execPipeline(pipeline);
    };
    try {
      return await send(false);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return send(true);
    }
  }
}
