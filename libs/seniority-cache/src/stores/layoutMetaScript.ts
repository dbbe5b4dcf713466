/**
 * Records or reads a namespace's layout identity, atomically, so every replica and every restart
 * agrees on where a pair lives: the compact bucket count (a pair's bucket depends on it) and the
 * partition count (a pair's hash tag depends on it; see RedisKeys).
 *
 * KEYS[1]    the namespace's meta hash (`<prefix>{ns}:meta`)
 * KEYS[2..]  compact layout: a sample of bucket keys of the count every namespace used before the
 *            meta key existed (`{ns}:b262144:0` …): a namespace written by such a version has no
 *            meta key yet
 * ARGV[1]    compact layout: the bucket count this replica is configured with; keys layout: ""
 * ARGV[2]    that legacy bucket count (262144)
 * ARGV[3]    the partition count this replica asks for, or "" to take the recorded one
 * ARGV[4]    the partition count of a new namespace when ARGV[3] is ""
 * Reply      { buckets, partitions } as strings (buckets "" for the keys layout). buckets: the
 *            recorded count; else the legacy one if any sampled legacy bucket exists; else ARGV[1].
 *            partitions: the recorded count; else 1 if the namespace holds data from before
 *            partitions (a bucket count recorded, or legacy buckets): those pairs sit under the
 *            one tag `{ns}`; else ARGV[3], or ARGV[4]. Whatever was not recorded yet is recorded.
 */
export const LAYOUT_META_SCRIPT = `
local buckets, older = "", false
if ARGV[1] ~= "" then
  buckets = redis.call("HGET", KEYS[1], "buckets")
  if buckets then
    older = true
  else
    buckets = ARGV[1]
    if #KEYS > 1 and redis.call("EXISTS", unpack(KEYS, 2)) > 0 then
      buckets, older = ARGV[2], true
    end
    redis.call("HSET", KEYS[1], "buckets", buckets)
  end
end
local partitions = redis.call("HGET", KEYS[1], "partitions")
if not partitions then
  if older then
    partitions = "1"
  elseif ARGV[3] ~= "" then
    partitions = ARGV[3]
  else
    partitions = ARGV[4]
  end
  redis.call("HSET", KEYS[1], "partitions", partitions)
end
return { buckets, partitions }
`;
