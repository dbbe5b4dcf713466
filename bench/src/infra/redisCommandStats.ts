import type { Redis } from "ioredis";

/** Calls and microseconds of server time per command, from `INFO commandstats`. */
export type CommandStats = Map<string, { calls: number; usec: number }>;

export async function redisCommandStats(client: Redis): Promise<CommandStats> {
  const out: CommandStats = new Map();
  for (const m of (await client.info("commandstats")).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/** Server seconds spent in the named commands. */
export function commandSeconds(stats: CommandStats, commands: readonly string[]): number {
  return commands.reduce((sum, c) => sum + (stats.get(c)?.usec ?? 0), 0) / 1e6;
}

/** Calls of the named commands. */
export function commandCalls(stats: CommandStats, commands: readonly string[]): number {
  return commands.reduce((sum, c) => sum + (stats.get(c)?.calls ?? 0), 0);
}
