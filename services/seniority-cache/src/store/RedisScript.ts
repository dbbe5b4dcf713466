import { createHash } from "node:crypto";
import type { RedisClient } from "./RedisLayout.js";

/**
 * @internal A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL, which also caches it on the
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
}
