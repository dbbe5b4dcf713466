/**
 * Shared pacing of the model by every replica on one Redis: ModelPacer's two rules,
 * applied to the sends of all replicas at once (see ModelPacer for why both are needed).
 * A batch of n items may leave now only if
 *   1. the model finishes every earlier batch within `lead` ms (a batch of m keeps it busy
 *      m / capacity s; the model is FIFO, so a batch sent early starts when the one before ends), and
 *   2. at most `capacity` items, n included, were sent in the sliding window (now − window, now].
 * Each send that leaves is recorded; sends older than the window are dropped, so the key holds at
 * most one window of sends, and it expires when nobody sends for two windows.
 *
 * Rule 1 needs only the sends in the window: replaying them oldest first, busy = max(at, busy) +
 * m / capacity gives when the model is done with them (a send older than the window was done long
 * ago: a batch is never longer than one window and the lead is far below one).
 *
 * A peer whose heartbeat is stale (KEYS[2]) may have lost Redis and be pacing alone at its local
 * share: that share is kept free (the capacity of rule 2 is lowered by it), so the sum stays under
 * the capacity while replicas lose and regain Redis at different moments.
 *
 * Time: Redis TIME by default (replicas' monotonic clocks are not comparable); a caller may pass
 * its own clock instead (tests with a ManualClock shared by replicas).
 *
 * KEYS[1]  <prefix>{ns}:pace — sorted set, member "<send id>:<items>", score = send time in ms
 * ARGV[1]  items in the batch (>= 1)
 * ARGV[2]  the model's capacity, items per second
 * ARGV[3]  window, ms (1000 + pacing margin)
 * ARGV[4]  now in ms on the caller's clock, or "" to use Redis TIME
 * ARGV[5]  an id unique to this send (replica id and a sequence number)
 * ARGV[6]  lead, ms (>= 0): how long before the model is done with earlier sends this one may leave
 * KEYS[2]  <prefix>{ns}:replicas — replica presence (see presenceScript); optional
 * ARGV[7]  this replica's id (with KEYS[2])
 * ARGV[8]  stale age, ms (with KEYS[2]): a peer silent this long may be pacing alone
 * ARGV[9]  items per second kept free for each such peer (its local share)
 * Reply    0 = recorded, the batch may leave now; otherwise ms (integer >= 1) to wait before asking
 *          again
 */
export const PACE_SCRIPT = `
local items, capacity, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now
if ARGV[4] == "" then
  local time = redis.call("TIME")
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[4])
end
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now - window)
local limit = capacity
if KEYS[2] then
  local stalePeers = redis.call("ZCOUNT", KEYS[2], "-inf", now - tonumber(ARGV[8]))
  local own = redis.call("ZSCORE", KEYS[2], ARGV[7])
  if own and tonumber(own) <= now - tonumber(ARGV[8]) then
    stalePeers = stalePeers - 1
  end
  limit = capacity - stalePeers * tonumber(ARGV[9])
  if items > limit then
    return math.ceil(tonumber(ARGV[8]))
  end
end
local sends = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
local inWindow = 0
for i = 1, #sends, 2 do
  inWindow = inWindow + tonumber(string.match(sends[i], ":(%d+)$"))
end
local busy, fits, wait = -math.huge, inWindow + items, 0
for i = 1, #sends, 2 do
  local sent, at = tonumber(string.match(sends[i], ":(%d+)$")), tonumber(sends[i + 1])
  busy = math.max(at, busy) + sent * 1000 / capacity
  if fits > limit then
    fits = fits - sent
    wait = math.max(wait, at + window - now)
  end
end
wait = math.max(wait, busy - (tonumber(ARGV[6]) or 0) - now)
if wait > 0 then
  return math.ceil(wait)
end
redis.call("ZADD", KEYS[1], now, ARGV[5] .. ":" .. ARGV[1])
redis.call("PEXPIRE", KEYS[1], math.ceil(2 * window))
return 0
`;
