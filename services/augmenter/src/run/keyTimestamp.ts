/**
 * The unix time (seconds) a file's name states ("1721183934.jsonl", possibly under a folder), or
 * undefined for other names.
 */
export function keyTimestamp(key: string): number | undefined {
  const match = /(?:^|\/)(\d{1,12})\.jsonl$/.exec(key);
  return match ? Number(match[1]) : undefined;
}
