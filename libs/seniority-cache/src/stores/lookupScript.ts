/**
 * Compact layout: every lookup of a request in ONE command. A pipeline of one HMGET per
 * bucket costs the client a command object, a promise and a reply parse per bucket — at 1000 pairs
 * and 262,144 buckets nearly one per pair — and the server a command dispatch each; one script
 * doing the HGETs server-side answers with a single flat array instead.
 *
 * KEYS[i]  the bucket hash of pair i (`<prefix>{<partition tag>}:b<count>:<bucket>`; on a cluster all
 *          of one partition, see routeCalls)
 * ARGV[i]  pair i's field in that hash
 * Reply    one integer per pair: its level 1..7, or 0 when there is no answer (or the stored value
 *          is not a level: foreign data reads as "no answer", like decodeLevel)
 */
export const COMPACT_LOOKUP_SCRIPT = `
local levels = {}
for i = 1, #KEYS do
  local level = tonumber(redis.call("HGET", KEYS[i], ARGV[i]))
  if level and level >= 1 and level <= 7 and level == math.floor(level) then
    levels[i] = level
  else
    levels[i] = 0
  end
end
return levels
`;

/**
 * Compact layout: every write of a model batch in ONE command, for the same reason as the
 * lookup script: a pipeline of one HSET per bucket is nearly one command object, promise and reply
 * per pair at 262,144 buckets, the largest CPU cost of the proxy's miss path.
 *
 * KEYS[i]       the bucket hash of pair i
 * ARGV[2i-1]    pair i's field in that hash
 * ARGV[2i]      pair i's level (1..7, checked by the caller)
 * Reply         how many pairs were written
 */
export const COMPACT_WRITE_SCRIPT = `
for i = 1, #KEYS do
  redis.call("HSET", KEYS[i], ARGV[2 * i - 1], ARGV[2 * i])
end
return #KEYS
`;
