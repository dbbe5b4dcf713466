import { RedisScript } from "@seniority/redis";

/**
 * The Lua scripts of the leases: a check and a write that must be one atomic step, so a replica
 * never extends or deletes a lease another replica took over in between.
 */

/**
 * Extends a lease only while it is still ours.
 *   KEYS[1]  the lease key
 *   ARGV[1]  our owner token
 *   ARGV[2]  the new time to live, milliseconds
 *   reply    1: renewed; 0: the key is gone or holds another owner's token (the lease is lost)
 */
export const RENEW_LEASE = new RedisScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0
`);

/**
 * Gives a lease up only while it is still ours.
 *   KEYS[1]  the lease key
 *   ARGV[1]  our owner token
 *   reply    1: deleted; 0: the key is gone or holds another owner's token (left as it is)
 */
export const RELEASE_LEASE = new RedisScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0
`);
