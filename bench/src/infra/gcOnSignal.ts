import { writeFileSync } from "node:fs";

/**
 * Preloaded into a service the benchmark measures (`node --expose-gc --import <this file> …`): on
 * SIGUSR2 it runs two full garbage collections and then writes how many it has done so far to the
 * file named by SENIORITY_BENCH_GC_ACK, so the benchmark knows the heap holds only live objects
 * before it reads RSS. Bench-only: the services themselves have no such hook.
 */
const ack = process.env.SENIORITY_BENCH_GC_ACK;
const collect = (globalThis as { gc?: () => void }).gc;
if (ack !== undefined && collect !== undefined) {
  let done = 0;
  process.on("SIGUSR2", () => {
    // Twice: the first full GC may leave objects whose finalizers free more on the second.
    collect();
    collect();
    writeFileSync(ack, String(++done));
  });
}
