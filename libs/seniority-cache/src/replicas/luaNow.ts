/**
 * The Lua lines that set `now`, ms, in a pacing or presence script: ARGV[`arg`] when the caller
 * passed its own clock, else Redis TIME (the only clock all replicas share).
 */
export function luaNow(arg: number): string {
  return `local now
if ARGV[${arg}] == "" then
  local time = redis.call("TIME")
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[${arg}])
end`;
}
