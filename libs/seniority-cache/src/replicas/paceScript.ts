/**
 * Shared pacing of the model by every replica on one Redis: ModelPacer's two rules,
 * applied to the sends of all replicas at once (see ModelPacer for why both are needed).
 * A batch of n items may leave now only if
 *   1. the model finishes every earlier batch within `lead` ms (a batch of m keeps it busy
 *      m / capacity s; the model is FIFO, so a batch sent early starts when the one before ends), and
 *   2. at most `capacity` items, n included, can reach the model in one window: the model counts
 *      ARRIVALS, which may come any time after the send (a starved process, GC, the network). So a
 *      send counts as PENDING (it may be arriving now) from the moment it is recorded until its
 *      replica reports it answered (PACE_ANSWERED_SCRIPT); from then it counts at the latest moment
 *      it can have reached the model (answered − n / capacity, the time the model needs to serve
 *      it) and leaves the window one window after that. Counting sends by send time let two
 *      replicas put 1,882 items into one model second on a busy machine.
 * A replica that dies with a pending send cannot report it: a pending send counts at most
 * `pending` ms (a model call's deadline) after it was sent, then as arrived then.
 *
 * The sorted set holds one member per send in the window, "<state>:<send id>:<sent at>:<items>",
 * state "p" (pending, score = sent at + pending bound) or "a" (answered, score = latest arrival);
 * ZREMRANGEBYSCORE up to now − window drops what has left it, so the key holds at most one window
 * of sends, and it expires when nobody sends for two windows.
 *
 * Rule 1 needs only the sends in the window: replaying them in send order, busy = max(at, busy) +
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
 * KEYS[1]  <prefix>{ns}:pace — sorted set of sends (above)
 * ARGV[1]  items in the batch (>= 1)
 * ARGV[2]  the model's capacity, items per second
 * ARGV[3]  window, ms (1000 + pacing margin)
 * ARGV[4]  now in ms on the caller's clock, or "" to use Redis TIME
 * ARGV[5]  an id unique to this send (replica id and a sequence number)
 * ARGV[6]  lead, ms (>= 0): how long before the model is done with earlier sends this one may leave
 * ARGV[7]  pending bound, ms: the longest a send may stay unanswered (its model call's deadline)
 * KEYS[2]  <prefix>{ns}:replicas — replica presence (see presenceScript); optional
 * ARGV[8]  this replica's id (with KEYS[2])
 * ARGV[9]  stale age, ms (with KEYS[2]): a peer silent this long may be pacing alone
 * ARGV[10] items per second kept free for each such peer (its local share)
 * Reply    0 = recorded (pending), the batch may leave now; otherwise ms (integer >= 1) to wait
 *          before asking again (a guess while pending sends alone fill the window: ask again then)
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
  local stalePeers = redis.call("ZCOUNT", KEYS[2], "-inf", now - tonumber(ARGV[9]))
  local own = redis.call("ZSCORE", KEYS[2], ARGV[8])
  if own and tonumber(own) <= now - tonumber(ARGV[9]) then
    stalePeers = stalePeers - 1
  end
  limit = capacity - stalePeers * tonumber(ARGV[10])
  if items > limit then
    return math.ceil(tonumber(ARGV[9]))
  end
end
local members = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
local sends, inWindow = {}, 0
for i = 1, #members, 2 do
  local sentAt, sent = string.match(members[i], ":(-?[%d.]+):(%d+)$")
  local send = { pending = string.sub(members[i], 1, 2) == "p:", sentAt = tonumber(sentAt),
    items = tonumber(sent), score = tonumber(members[i + 1]) }
  sends[#sends + 1] = send
  inWindow = inWindow + send.items
end
local bySent = {}
for i = 1, #sends do bySent[i] = sends[i] end
table.sort(bySent, function(x, y) return x.sentAt < y.sentAt end)
local busy = -math.huge
for i = 1, #bySent do
  busy = math.max(bySent[i].sentAt, busy) + bySent[i].items * 1000 / capacity
end
local wait = math.max(0, busy - (tonumber(ARGV[6]) or 0) - now)
local excess = inWindow + items - limit
if excess > 0 then
  -- Answered sends leave the window in score order (ZRANGE order); pending ones only once answered.
  for i = 1, #sends do
    if excess > 0 and not sends[i].pending then
      excess = excess - sends[i].items
      wait = math.max(wait, sends[i].score + window - now)
    end
  end
  if excess > 0 then
    wait = math.max(wait, busy - now, 1)
  end
end
if wait > 0 then
  return math.ceil(wait)
end
local pending = tonumber(ARGV[7])
redis.call("ZADD", KEYS[1], now + pending, "p:" .. ARGV[5] .. ":" .. now .. ":" .. ARGV[1])
redis.call("PEXPIRE", KEYS[1], math.ceil(2 * window + pending))
return 0
`;

/**
 * A send recorded by PACE_SCRIPT (or folded by presenceScript) is over: its model call answered,
 * failed or was given up. It counts from now on at the latest moment it can have reached the model,
 * max(sent at, now − items / capacity), and leaves the window one window after that.
 *
 * KEYS[1]  <prefix>{ns}:pace
 * ARGV[1]  the send's id (ARGV[5] of PACE_SCRIPT)
 * ARGV[2]  the model's capacity, items per second
 * ARGV[3]  window, ms
 * ARGV[4]  now in ms on the caller's clock, or "" to use Redis TIME
 * Reply    1 = updated; 0 = the send is no longer in the window (nothing to do)
 */
export const PACE_ANSWERED_SCRIPT = `
local id, capacity, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now
if ARGV[4] == "" then
  local time = redis.call("TIME")
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[4])
end
local prefix = "p:" .. id .. ":"
local members = redis.call("ZRANGE", KEYS[1], 0, -1)
for i = 1, #members do
  local member = members[i]
  if string.sub(member, 1, #prefix) == prefix then
    local sentAt, items = string.match(member, ":(-?[%d.]+):(%d+)$")
    local arrived = math.max(tonumber(sentAt), now - tonumber(items) * 1000 / capacity)
    redis.call("ZREM", KEYS[1], member)
    if arrived > now - window then
      redis.call("ZADD", KEYS[1], arrived, "a" .. string.sub(member, 2))
    end
    return 1
  end
end
return 0
`;
