import { systemClock, type Clock } from "@seniority/clock";
import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import { countPairs, type CountProgress } from "./countPairs.js";
import type { WarmInput } from "./openWarmInput.js";
import { RatePacer } from "./RatePacer.js";
import { sendPlan } from "./sendPlan.js";
import { WarmCheckpoint, type WarmCheckpointState, type WarmSettings } from "./WarmCheckpoint.js";
import { WarmPlanFile } from "./WarmPlanFile.js";

/** A checkpoint of another run: a usage error naming --checkpoint. */
export class WarmCheckpointError extends Error {
  override readonly name = "WarmCheckpointError";
}

export interface RunWarmOptions {
  input: WarmInput;
  settings: WarmSettings;
  resolver: SeniorityResolver;
  /** Items per second sent at most. */
  rate: number;
  /** Items a call carries at most (1..1000). */
  maxBatch: number;
  /** A file to resume from and record progress in (with `<checkpoint>.plan` beside it). */
  checkpoint?: string;
  clock?: Clock;
  signal?: AbortSignal;
  onCount?: (progress: CountProgress) => void;
  onSend?: (progress: { sent: number; total: number }) => void;
}

export interface WarmSummary {
  /** True when the plan came from a checkpoint (the history was not read again). */
  resumed: boolean;
  /** Counting, when it ran: files, lines, bad lines, pairs tracked. */
  counted?: CountProgress;
  /** Lines of the history the plan's pairs account for (an upper bound past the counter capacity). */
  coveredLines?: number;
  planPairs: number;
  /** Pairs skipped because a previous run had sent them. */
  skipped: number;
  /** Pairs sent by this run. */
  sent: number;
}

/**
 * `seniority warm`: count the history's pairs (countPairs), keep the `top` most frequent seen at
 * least `minCount` times, and send them to the proxy at `rate` (sendPlan). With a checkpoint, the
 * plan is saved before the first send and progress after every batch; a rerun with the same
 * settings resumes where it stopped, without reading the history again.
 */
export async function runWarm(options: RunWarmOptions): Promise<WarmSummary> {
  const { settings, checkpoint } = options;
  const found = checkpoint !== undefined ? await WarmCheckpoint.read(checkpoint) : undefined;
  let plan: SeniorityPair[];
  let state: WarmCheckpointState | undefined = found;
  let counted: CountProgress | undefined;
  let coveredLines: number | undefined;
  if (found && checkpoint !== undefined) {
    const reason = WarmCheckpoint.mismatch(found, settings);
    if (reason)
      throw new WarmCheckpointError(`--checkpoint ${checkpoint}: ${reason}; remove it or give another file`);
    plan = await WarmPlanFile.read(WarmPlanFile.pathFor(checkpoint), found.planDigest);
  } else {
    const result = await countPairs(options.input, {
      counters: settings.counters,
      normalization: settings.normalization,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onCount ? { onFile: options.onCount } : {}),
    });
    counted = result.progress;
    const top = result.counter.top(settings.top, settings.minCount);
    coveredLines = top.reduce((sum, c) => sum + c.count, 0);
    plan = top.map((c) => c.pair);
    if (checkpoint !== undefined) {
      const planDigest = await WarmPlanFile.write(WarmPlanFile.pathFor(checkpoint), plan);
      state = { version: 1, ...settings, planDigest, planPairs: plan.length, sent: 0 };
      await WarmCheckpoint.write(checkpoint, state);
    }
  }
  const skipped = Math.min(state?.sent ?? 0, plan.length);
  options.onSend?.({ sent: skipped, total: plan.length });
  const done = await sendPlan(plan, skipped, {
    resolver: options.resolver,
    pacer: new RatePacer(options.rate, options.clock ?? systemClock),
    maxBatch: options.maxBatch,
    ...(options.signal ? { signal: options.signal } : {}),
    onBatch: async (sent) => {
      if (state && checkpoint !== undefined)
        await WarmCheckpoint.write(checkpoint, (state = { ...state, sent }));
      options.onSend?.({ sent, total: plan.length });
    },
  });
  return {
    resumed: found !== undefined,
    ...(counted ? { counted } : {}),
    ...(coveredLines !== undefined ? { coveredLines } : {}),
    planPairs: plan.length,
    skipped,
    sent: done - skipped,
  };
}
