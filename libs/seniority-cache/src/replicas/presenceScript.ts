/**
 * Replica presence (ReplicaPresence through RedisCoordination.heartbeat): each replica
 * records a heartbeat every few hundred ms and learns its peers from the reply. What it is for:
 *   - a replica knows how many peers share the model, so while Redis is down it paces itself at
 *     capacity / replicas (SharedModelPacer);
 *   - a peer whose heartbeat is stale may be pacing alone: the shared pacer keeps its share free;
 *   - a peer that is not "synced" (it inferred pairs without a claim and their answers are not yet in
 *     the store) makes the others wait before they infer claimed pairs, so no pair is inferred twice
 *     after an outage.
 * A heartbeat that reaches Redis late is refused (an error reply, nothing written but the lag
 * baseline): a frozen server (SIGSTOP) runs the commands it buffered when it thaws, long after the
 * replica gave up on them and began pacing alone, and that beat would make it look fresh (its
 * share no longer kept free) while its sends made alone are not in the window yet. Late means: the
 * lag (Redis now − the caller's clock at sending) is above the caller's lowest recent lag by more
 * than ARGV[late] ms; so the replica knows a beat it gave up on counts no later than about that.
 * Also, once per reconnect, it puts back what a Redis restart lost: the peers this replica knew
 * (as stale, if absent) and its own sends of the last window made while pacing alone (into the
 * shared pace window, so the shared limit counts them).
 *
 * KEYS[1]  <prefix>{ns}:replicas — sorted set, member = replica id, score = last heartbeat, ms
 * KEYS[2]  <prefix>{ns}:replicas:synced — hash, replica id → "1" | "0"
 * KEYS[3]  <prefix>{ns}:pace — the shared pacing window (see paceScript)
 * KEYS[4]  <prefix>{ns}:replicas:address — hash, replica id → the gRPC address peers reach it at
 * KEYS[5]  <prefix>{ns}:replicas:lag — hash, replica id → its lag baseline, ms (optional)
 * ARGV[1]  this replica's id
 * ARGV[2]  expiry, ms: a replica silent this long is forgotten
 * ARGV[3]  now in ms on the caller's clock, or "" to use Redis TIME
 * ARGV[4]  "1" if this replica is synced, else "0"
 * ARGV[5]  stale age, ms: peers put back are recorded this old
 * ARGV[6]  pacing window, ms (the pace key's expiry is two windows)
 * ARGV[7]  this replica's address for peers, or "" (not reachable by peers)
 * ARGV[8]  k: peers to put back if absent, then k ids
 * then     s: sends to add to the pace window, then s quintuples (state "p" pending | "a" answered,
 *          send id, sent age ms, score age ms, items): member "<state>:<id>:<sent at>:<items>" with
 *          score now − score age (paceScript's format; an answered send already out of the window
 *          is not added)
 * then     sent: the caller's clock when it sent this beat, ms, or "" (no lateness check); and
 *          late: the most a beat may lag behind the caller's baseline, ms (with KEYS[5])
 * Reply    flat list of (id, age ms, synced "1" | "0", address or "") for every other replica;
 *          an error reply "LATE …" for a late beat
 */
export const PRESENCE_SCRIPT = `
local id, expiry, stale, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5]), tonumber(ARGV[6])
local now
if ARGV[3] == "" then
  local time = redis.call("TIME")
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[3])
end
local k = tonumber(ARGV[8])
local s = tonumber(ARGV[9 + k])
local sent, late = ARGV[10 + k + 5 * s], tonumber(ARGV[11 + k + 5 * s])
if KEYS[5] and sent and sent ~= "" then
  -- The baseline follows the lowest lag, creeping up 1 ms a beat (clock drift, slower networks).
  local lag = now - tonumber(sent)
  local base = tonumber(redis.call("HGET", KEYS[5], id))
  if base and lag > base + late then
    redis.call("HSET", KEYS[5], id, base + 1)
    return redis.error_reply("LATE heartbeat: " .. math.floor(lag - base) .. " ms behind")
  end
  redis.call("HSET", KEYS[5], id, base and math.min(lag, base + 1) or lag)
  redis.call("PEXPIRE", KEYS[5], expiry)
end
local at = 8
for i = 1, k do
  local peer = ARGV[at + i]
  if peer ~= id and not redis.call("ZSCORE", KEYS[1], peer) then
    redis.call("ZADD", KEYS[1], now - stale, peer)
    redis.call("HSET", KEYS[2], peer, "0")
  end
end
at = at + k + 1
local longest = 0
for i = 1, s do
  local j = at + 5 * (i - 1)
  local state, sendId, sentAge, scoreAge = ARGV[j + 1], ARGV[j + 2], tonumber(ARGV[j + 3]), tonumber(ARGV[j + 4])
  local score = now - scoreAge
  if score > now - window then
    redis.call("ZADD", KEYS[3], score, state .. ":" .. sendId .. ":" .. (now - sentAge) .. ":" .. ARGV[j + 5])
    longest = math.max(longest, score - now)
  end
end
if s > 0 and redis.call("PTTL", KEYS[3]) < 2 * window + longest then
  redis.call("PEXPIRE", KEYS[3], math.ceil(2 * window + longest))
end
redis.call("ZADD", KEYS[1], now, id)
redis.call("HSET", KEYS[2], id, ARGV[4])
if ARGV[7] ~= "" then
  redis.call("HSET", KEYS[4], id, ARGV[7])
end
local gone = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now - expiry)
for i = 1, #gone do
  redis.call("ZREM", KEYS[1], gone[i])
  redis.call("HDEL", KEYS[2], gone[i])
  redis.call("HDEL", KEYS[4], gone[i])
  if KEYS[5] then
    redis.call("HDEL", KEYS[5], gone[i])
  end
end
redis.call("PEXPIRE", KEYS[1], expiry)
redis.call("PEXPIRE", KEYS[2], expiry)
redis.call("PEXPIRE", KEYS[4], expiry)
local members = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
local reply = {}
for i = 1, #members, 2 do
  local peer = members[i]
  if peer ~= id then
    reply[#reply + 1] = peer
    reply[#reply + 1] = math.floor(now - tonumber(members[i + 1]))
    reply[#reply + 1] = redis.call("HGET", KEYS[2], peer) or "0"
    reply[#reply + 1] = redis.call("HGET", KEYS[4], peer) or ""
  end
end
return reply
`;
