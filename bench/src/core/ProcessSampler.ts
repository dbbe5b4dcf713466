import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

/** One reading of a process (or a process tree) from /proc. */
export interface ProcReading {
  /** user + system CPU, seconds, since the process started. */
  cpuSeconds: number;
  rssBytes: number;
  /** VmHWM: the peak resident set over the process's whole life. */
  hwmBytes: number;
}

/** CPU and memory of a process over a sampled window. */
export interface ProcessUsage {
  /** CPU seconds (user + system) spent inside the window. */
  cpuSeconds: number;
  /** Largest RSS seen by the sampler inside the window, MB (2^20 bytes). */
  peakRssMB: number;
  /** Kernel's lifetime high-water mark (VmHWM), MB: catches peaks between samples. */
  hwmMB: number;
  meanRssMB: number;
  lastRssMB: number;
  wallSeconds: number;
}

const CLOCK_TICKS_PER_SECOND = clockTicks();
const MB = 2 ** 20;

/** Reads /proc/<pid>/stat and status; undefined if the process is gone. */
export function readProc(pid: number): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return {
      cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND,
      rssBytes: statusKb(status, "VmRSS") * 1024,
      hwmBytes: statusKb(status, "VmHWM") * 1024,
    };
  } catch {
    return undefined;
  }
}

/** The pid and every live descendant (children of all its threads, recursively). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const current = out[i]!;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, "utf8").trim();
        if (children) out.push(...children.split(" ").map(Number));
      } catch {
        // the thread ended between the listing and the read
      }
    }
  }
  return out;
}

/**
 * Samples a process (and, with `tree`, all its descendants, summed) every `intervalMs` (default
 * 100 ms) from /proc. CPU is the exact delta between the first and last reading of each pid; RSS
 * peaks are sampled, with the kernel's VmHWM reported as well because it cannot miss a peak.
 */
export class ProcessSampler {
  private readonly firstCpu = new Map<number, number>();
  private readonly lastCpu = new Map<number, number>();
  private readonly hwm = new Map<number, number>();
  private readonly rssSamples: number[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private result: ProcessUsage | undefined;

  constructor(
    private readonly pid: number,
    private readonly options: { intervalMs?: number; tree?: boolean } = {},
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), options.intervalMs ?? 100);
    this.timer.unref();
  }

  /** Takes a last reading and returns the window's usage; idempotent. */
  stop(): ProcessUsage {
    if (this.result) return this.result;
    this.sample();
    clearInterval(this.timer);
    let cpu = 0;
    for (const [pid, last] of this.lastCpu) cpu += last - (this.firstCpu.get(pid) ?? last);
    const rss = this.rssSamples;
    this.result = {
      cpuSeconds: cpu,
      peakRssMB: Math.max(0, ...rss) / MB,
      hwmMB: Math.max(0, ...this.hwm.values()) / MB,
      meanRssMB: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length / MB : 0,
      lastRssMB: (rss[rss.length - 1] ?? 0) / MB,
      wallSeconds: (performance.now() - this.startedAt) / 1000,
    };
    return this.result;
  }

  private sample(): void {
    const pids = this.options.tree ? processTree(this.pid) : [this.pid];
    const initial = this.firstCpu.size === 0;
    let rss = 0;
    let seen = false;
    for (const pid of pids) {
      const reading = readProc(pid);
      if (!reading) continue;
      seen = true;
      // A pid first seen mid-window started inside it: all its CPU so far belongs to the window.
      if (!this.firstCpu.has(pid)) this.firstCpu.set(pid, initial ? reading.cpuSeconds : 0);
      this.lastCpu.set(pid, reading.cpuSeconds);
      this.hwm.set(pid, Math.max(this.hwm.get(pid) ?? 0, reading.hwmBytes));
      rss += reading.rssBytes;
    }
    if (seen) this.rssSamples.push(rss);
  }
}

function statusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

function clockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}
