/**
 * Lua scripts behind per-pair claims (RedisCoordination). A claim is a short-lived key
 * `<prefix>{<partition tag>}:claim:<hex>` whose value is the id of the replica inferring the pair;
 * it keeps two replicas on one Redis from sending the same pair to the model. A claim lives in its
 * answer's partition, and on a cluster a call holds one partition's pairs (RedisCoordination), so
 * every call's keys share a slot and the script runs on one Redis Cluster node.
 */

/**
 * Claims pairs unless already answered or claimed. The answer is checked in the same atomic step,
 * so a pair answered (and its claim released) between a replica's store lookup and its claim is
 * never claimed again: read-then-claim as two commands would let it be inferred twice.
 *
 * KEYS[2i-1]  claim key of pair i
 * KEYS[2i]    where pair i's answer lives: its compact-layout bucket hash, or its keys-layout string
 * ARGV[1]     this replica's id (the claim's value)
 * ARGV[2]     claim TTL, ms
 * ARGV[2+i]   pair i's hash field (compact layout), or "" (keys layout: GET the string key)
 * Reply       one integer per pair: 1..7 = already answered (the level); 0 = claimed by this
 *             replica now, or still held by it (infer it); -1 = claimed by another replica (wait).
 */
export const CLAIM_SCRIPT = `
local replies = {}
for i = 1, #KEYS / 2 do
  local claim, answerKey, field = KEYS[2 * i - 1], KEYS[2 * i], ARGV[2 + i]
  local answer
  if field == "" then
    answer = redis.call("GET", answerKey)
  else
    answer = redis.call("HGET", answerKey, field)
  end
  local level = tonumber(answer)
  if level and level >= 1 and level <= 7 and level == math.floor(level) then
    replies[i] = level
  elseif redis.call("SET", claim, ARGV[1], "NX", "PX", ARGV[2]) then
    replies[i] = 0
  elseif redis.call("GET", claim) == ARGV[1] then
    redis.call("PEXPIRE", claim, ARGV[2])
    replies[i] = 0
  else
    replies[i] = -1
  end
end
return replies
`;

/**
 * Deletes the claims this replica holds (never another replica's, e.g. after its own expired and
 * was taken over).
 *
 * KEYS[i]  claim keys
 * ARGV[1]  this replica's id
 * Reply    how many claims were deleted
 */
export const RELEASE_SCRIPT = `
local deleted = 0
for i = 1, #KEYS do
  if redis.call("GET", KEYS[i]) == ARGV[1] then
    deleted = deleted + redis.call("DEL", KEYS[i])
  end
end
return deleted
`;

/**
 * Extends the claims this replica still holds (pairs queued behind a long backlog outlive one TTL).
 *
 * KEYS[i]  claim keys
 * ARGV[1]  this replica's id
 * ARGV[2]  claim TTL, ms
 * Reply    how many claims were extended (the others expired or belong to another replica now)
 */
export const REFRESH_SCRIPT = `
local extended = 0
for i = 1, #KEYS do
  if redis.call("GET", KEYS[i]) == ARGV[1] then
    extended = extended + redis.call("PEXPIRE", KEYS[i], ARGV[2])
  end
end
return extended
`;
