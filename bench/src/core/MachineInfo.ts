import { execFileSync } from "node:child_process";
import { cpus, totalmem, release } from "node:os";

/** The machine a result was measured on; every result JSON carries one. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryMB: number;
  platform: string;
  nodeVersion: string;
  redisVersion: string;
  jqVersion: string;
  /** ISO date-time the run started. */
  date: string;
}

export function machineInfo(date = new Date()): MachineInfo {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    totalMemoryMB: Math.round(totalmem() / 2 ** 20),
    platform: `${process.platform} ${release()} ${process.arch}`,
    nodeVersion: process.version,
    redisVersion: toolVersion("redis-server", ["--version"], /v=(\S+)/),
    jqVersion: toolVersion("jq", ["--version"], /(\S+)/),
    date: date.toISOString(),
  };
}

function toolVersion(command: string, args: string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return pattern.exec(out)?.[1] ?? out.trim();
  } catch {
    return "not installed";
  }
}
