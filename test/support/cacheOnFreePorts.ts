/**
 * `seniority cache <flags>` on loopback ports the OS picks (gRPC, metrics and health, admin), as
 * argv for runCli: the process prints the ports in its start line.
 */
export function cacheOnFreePorts(...flags: string[]): string[] {
  return ["cache", "--port", "0", "--http-port", "0", "--admin-port", "0", ...flags];
}
