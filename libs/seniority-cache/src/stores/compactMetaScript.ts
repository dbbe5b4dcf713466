/**
 * Compact layout: records or reads the namespace's bucket count, atomically, so every
 * replica and every restart agrees on where a pair lives (a pair's bucket depends on the count).
 *
 * KEYS[1]    the namespace's meta hash (`<prefix>{ns}:meta`)
 * KEYS[2..]  a sample of bucket keys of the count every namespace used before the meta key existed
 *            (`…:b262144:0` …): a namespace written by such a version has no meta key yet
 * ARGV[1]    the bucket count this replica is configured with
 * ARGV[2]    that legacy count (262144)
 * Reply      the namespace's bucket count as a string: the recorded one; else the legacy one if
 *            any sampled legacy bucket exists (then recorded); else ARGV[1] (then recorded)
 */
export const COMPACT_META_SCRIPT = `
local current = redis.call("HGET", KEYS[1], "buckets")
if current then return current end
local count = ARGV[1]
if #KEYS > 1 and redis.call("EXISTS", unpack(KEYS, 2)) > 0 then count = ARGV[2] end
redis.call("HSET", KEYS[1], "buckets", count)
return count
`;
