import { getHeapStatistics } from "node:v8";

const FLAG = /^--max[-_]old[-_]space[-_]size(?:=(.*))?$/;

/**
 * The old-space cap given to V8 with --max-old-space-size (MiB), from NODE_OPTIONS and then the
 * command line (the later one wins, as in V8), or undefined when neither sets it.
 */
export function maxOldSpaceSizeFlag(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env["NODE_OPTIONS"] ?? "",
): number | undefined {
  const tokens = [...nodeOptions.split(/\s+/).filter(Boolean), ...execArgv];
  let mib: number | undefined;
  tokens.forEach((token, i) => {
    const match = FLAG.exec(token);
    if (!match) return;
    const value = Number(match[1] ?? tokens[i + 1]);
    if (Number.isFinite(value) && value > 0) mib = value;
  });
  return mib;
}

/**
 * What this process's long-lived objects may fill, bytes: the old generation's cap. V8's
 * heap_size_limit also counts the young generation, which Node 24 sizes at 192 MB whatever the
 * cap (--max-old-space-size=160 reports 352 MB there, 208 MB on Node 20): a queue planned from it
 * ran a 160 MB heap out of memory. The cap is the flag when given; otherwise heap_size_limit, where
 * V8's own default old space dwarfs the young generation.
 */
export function oldSpaceLimitBytes(flagMiB: number | undefined = maxOldSpaceSizeFlag()): number {
  const heapSizeLimit = getHeapStatistics().heap_size_limit;
  return flagMiB === undefined ? heapSizeLimit : Math.min(heapSizeLimit, flagMiB * 2 ** 20);
}
