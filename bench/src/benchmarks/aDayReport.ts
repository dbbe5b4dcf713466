import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import type { ProcReading } from "../core/ProcessSampler.js";
import { isBenchCommand, type Phase } from "./aDayPhase.js";

const DAY_LINES = 8_000_000;
const DAY_FILES = 1440;
const MODEL_CAPACITY = 1000;
const MB = 2 ** 20;

export interface DayRuns {
  /** One average file, alone. */
  single: Phase;
  /** The rest of the day's fraction, in one run. */
  fraction: Phase;
  /** Files of `fraction`. */
  others: number;
  /** Files before the day (the cache warm-up). */
  prefixFiles: number;
  /** Files of the day's fraction (single + others). */
  dayFiles: number;
  /** The services' process readings at the end. */
  readings: { proxy: ProcReading; redis: ProcReading; model: ProcReading };
}

/** aDay's tables, targets and notes: the measured fraction, scaled by lines to a day of 8M. */
export function aDayReport(runs: DayRuns): BenchmarkReport {
  const { single, fraction } = runs;
  const lines = single.run.summary.lines.in + fraction.run.summary.lines.in;
  const seconds = single.run.wallSeconds + fraction.run.wallSeconds;
  const scale = DAY_LINES / lines;
  /** A service's CPU measured and a day, mean cores, RSS now and peak. */
  const serviceRow = (name: string, cpuSeconds: number, now: ProcReading) => [
    name,
    formatSig(cpuSeconds),
    formatNumber(cpuSeconds * scale),
    formatSig(cpuSeconds / seconds),
    formatSig(now.rssBytes / MB),
    formatSig(now.hwmBytes / MB),
  ];
  const both = [single, fraction];
  const total = (f: (p: Phase) => number) => both.reduce((s, p) => s + f(p), 0);
  const proxyRequestSeconds = total((p) => p.proxyRequestSeconds);
  const modelSeconds = total((p) => p.modelLatencySeconds);
  const storeRead = total((p) => p.redisReadSeconds);
  const storeWrite = total((p) => p.redisWriteSeconds);
  const redisOther = total((p) => p.redisOtherSeconds);
  const redisByCommand = new Map<string, { calls: number; usec: number }>();
  for (const p of both) {
    for (const [name, c] of p.redisCommands) {
      const sum = redisByCommand.get(name) ?? { calls: 0, usec: 0 };
      redisByCommand.set(name, { calls: sum.calls + c.calls, usec: sum.usec + c.usec });
    }
  }
  const optional = (f: (p: Phase) => number | undefined) =>
    both.every((p) => f(p) !== undefined) ? both.reduce((sum, p) => sum + f(p)!, 0) : undefined;
  const storeGet = optional((p) => p.storeGetSeconds);
  const storeSet = optional((p) => p.storeSetSeconds);
  const share = (x: number) => `${((100 * x) / seconds).toFixed(1)}%`;
  const cpu = {
    augmenter: total((p) => p.run.cpuSeconds),
    proxy: total((p) => p.proxyCpu),
    redis: total((p) => p.redisCpu),
    model: total((p) => p.modelCpu),
  };
  const { proxy: proxyNow, redis: redisNow, model: modelNow } = runs.readings;
  const augmenterPeak = Math.max(single.run.peakRssMB, fraction.run.peakRssMB);
  const dayHours = (seconds * scale) / 3600;
  return {
    scale: {
      "files before the day (cache warm-up)": runs.prefixFiles,
      "day fraction files": runs.dayFiles,
      "day fraction lines": lines,
      "share of a day (8M lines)": `${((100 * lines) / DAY_LINES).toFixed(1)}%`,
      "model-sim capacity (items/s)": MODEL_CAPACITY,
      "proxy pacing (items/s)": MODEL_CAPACITY,
    },
    tables: [
      {
        title: "Time through the whole flow (augmenter process → proxy process → Redis → model-sim)",
        columns: ["what", "files", "lines", "seconds", "seconds a file", "lines/s", "new pairs to the model"],
        rows: [
          [
            "one average file, alone",
            1,
            formatNumber(single.run.summary.lines.in),
            formatSig(single.run.wallSeconds),
            formatSig(single.run.wallSeconds),
            formatNumber(single.run.summary.lines.in / single.run.wallSeconds),
            formatNumber(single.modelItems),
          ],
          [
            `the rest of the day fraction (${runs.others} files)`,
            runs.others,
            formatNumber(fraction.run.summary.lines.in),
            formatSig(fraction.run.wallSeconds),
            formatSig(fraction.run.wallSeconds / runs.others),
            formatNumber(fraction.run.summary.lines.in / fraction.run.wallSeconds),
            formatNumber(fraction.modelItems),
          ],
          [
            `a day, scaled ×${formatSig(scale)} by lines`,
            DAY_FILES,
            formatNumber(DAY_LINES),
            formatNumber(seconds * scale),
            formatSig((seconds * scale) / DAY_FILES),
            formatNumber(lines / seconds),
            formatNumber(total((p) => p.modelItems) * scale),
          ],
        ],
      },
      {
        title: "Where the time goes (sums over the measured runs; server-side)",
        columns: ["part", "seconds", "share of wall time"],
        rows: [
          ["augmenter wall time", formatSig(seconds), "100%"],
          [
            "inside the proxy (request duration, summed over concurrent requests)",
            formatSig(proxyRequestSeconds),
            share(proxyRequestSeconds),
          ],
          ["model batches (proxy's model latency sum)", formatSig(modelSeconds), share(modelSeconds)],
          ["cache reads: Redis time in read commands", formatSig(storeRead), share(storeRead)],
          ["cache writes: Redis time in write commands", formatSig(storeWrite), share(storeWrite)],
          [
            "Redis time in claims and shared pacing (other commands)",
            formatSig(redisOther),
            share(redisOther),
          ],
          ...(storeGet === undefined || storeSet === undefined
            ? []
            : [
                [
                  "cache reads: the proxy's store get time (round trips)",
                  formatSig(storeGet),
                  share(storeGet),
                ],
                [
                  "cache writes: the proxy's store set time (round trips)",
                  formatSig(storeSet),
                  share(storeSet),
                ],
              ]),
        ],
      },
      {
        title: "Who answered: lines → pairs asked of the proxy → the tier that answered (measured runs)",
        columns: ["step", "count"],
        rows: [
          ["lines", formatNumber(lines)],
          [
            "pairs answered by the augmenter's local LRU",
            formatNumber(total((p) => p.run.summary.localCacheHits)),
          ],
          ["distinct pairs asked of the proxy", formatNumber(total((p) => p.run.summary.pairsRequested))],
          ["… answered from the proxy's L1", formatNumber(total((p) => p.tiers.l1))],
          ["… answered from Redis", formatNumber(total((p) => p.tiers.store))],
          ["… sent to the model (new pairs)", formatNumber(total((p) => p.tiers.model))],
          ["Redis read commands", formatNumber(total((p) => p.redisReadCalls))],
        ],
      },
      {
        title: "Redis server time by command (measured runs; INFO commandstats)",
        columns: ["command", "calls", "seconds"],
        rows: [...redisByCommand]
          .filter(([name]) => !isBenchCommand(name))
          .sort((a, b) => b[1].usec - a[1].usec)
          .slice(0, 10)
          .map(([name, c]) => [name.toUpperCase(), formatNumber(c.calls), formatSig(c.usec / 1e6)]),
      },
      {
        title: "CPU and memory of each process (the day scaled by lines)",
        columns: [
          "process",
          "CPU s measured",
          "CPU s a day",
          "mean cores while running",
          "RSS MB now",
          "peak RSS MB",
        ],
        rows: [
          [
            "augmenter (seniority augment)",
            formatSig(cpu.augmenter),
            formatNumber(cpu.augmenter * scale),
            formatSig(cpu.augmenter / seconds),
            "—",
            formatSig(augmenterPeak),
          ],
          serviceRow("proxy (seniority cache)", cpu.proxy, proxyNow),
          serviceRow("redis-server", cpu.redis, redisNow),
          serviceRow("model-sim", cpu.model, modelNow),
        ],
      },
    ],
    targets: [
      {
        target: "a day's 8M lines take less than a day (keeps up with the scraper)",
        measured: `${formatSig(dayHours)} h`,
        met: dayHours < 24,
      },
    ],
    charts: [],
    metrics: {
      one_file_seconds: single.run.wallSeconds,
      one_file_lines: single.run.summary.lines.in,
      fraction_lines: lines,
      fraction_seconds: seconds,
      day_seconds_scaled: seconds * scale,
      proxy_request_seconds: proxyRequestSeconds,
      redis_read_seconds: storeRead,
      redis_write_seconds: storeWrite,
      augmenter_cpu_seconds_per_day: cpu.augmenter * scale,
      proxy_cpu_seconds_per_day: cpu.proxy * scale,
    },
    notes: [
      `Measured: ${runs.dayFiles} consecutive files (${formatNumber(lines)} lines, ${((100 * lines) / DAY_LINES).toFixed(1)}% of a day's 8M lines) after ${runs.prefixFiles} earlier files whose pairs were cached first (Redis, then the proxy's L1 from Redis); the day figures are the measured ones × ${formatSig(scale)}. The day's file closest to the mean size ran first, alone (\`seniority augment <file>\`, process start included); the rest in one \`augment --once\` run (2 files at once), where "seconds a file" is its wall time ÷ files.`,
      "Redis command time is the server's own execution time (INFO commandstats, commands inside Lua scripts counted under their own names), without the network round trip; for the compact layout HGET/HMGET are cache reads, HSET writes, GET/SET/PEXPIRE/DEL the replicas' claims and Z*/TIME the shared pacing; the proxy's request duration is summed over concurrent requests, so shares can overlap and exceed the wall time together.",
      "Files arrive one a minute; a day through the flow in far less than 24 h means one augmenter keeps up with room to spare.",
    ],
  };
}
