import { spawn } from "node:child_process";
import { ProcessSampler } from "../core/ProcessSampler.js";
import { TailBuffer } from "./TailBuffer.js";

/** What one finished command cost. */
export interface MeasuredRun {
  wallSeconds: number;
  /** user + system CPU of the command and everything it waited for (bash `time`: exact). */
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** Peak of the summed RSS of the command's process tree (sampled every 50 ms, plus VmHWM), MB. */
  peakRssMB: number;
  stdout: string;
}

const TIME_LINE = /^BENCH_TIME (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/m;

/**
 * Runs a one-shot command to completion under bash's `time` (which reports the exact CPU of
 * waited-for children, unlike sampling /proc) and throws, with its output's tail, if it exits
 * non-zero. `shellCommand` is a bash command line; pass values through `env` rather than
 * splicing them into it. stdout is kept (its last 64 KiB) for commands that print a report.
 */
export async function runMeasured(
  shellCommand: string,
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<MeasuredRun> {
  const script = `TIMEFORMAT='BENCH_TIME %3R %3U %3S'; time { ${shellCommand} ; }`;
  const child = spawn("bash", ["-c", script], {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const sampler = new ProcessSampler(child.pid!, { intervalMs: 50, tree: true });
  const stdout = new TailBuffer(65536);
  const stderr = new TailBuffer(16384);
  child.stdout.on("data", (c: Buffer) => stdout.push(c));
  child.stderr.on("data", (c: Buffer) => stderr.push(c));
  const timeout = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30 * 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
  clearTimeout(timeout);
  const usage = sampler.stop();
  const err = stderr.toString();
  const time = TIME_LINE.exec(err);
  if (code !== 0 || !time) {
    throw new Error(`command failed (exit ${code}): ${shellCommand.slice(0, 200)}\n${err.slice(-2000)}`);
  }
  const [user, system] = [Number(time[2]), Number(time[3])];
  return {
    wallSeconds: Number(time[1]),
    cpuSeconds: user + system,
    userSeconds: user,
    systemSeconds: system,
    peakRssMB: Math.max(usage.peakRssMB, usage.hwmMB),
    stdout: stdout.toString(),
  };
}

/** Quotes arguments for a bash command line: shellWords("node", "a b") → `'node' 'a b'`. */
export function shellWords(...words: readonly string[]): string {
  return words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(" ");
}
