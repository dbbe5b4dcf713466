import type { Benchmark } from "../core/Benchmark.js";
import { aDay } from "./aDay.js";
import { augmenterThroughput } from "./augmenterThroughput.js";
import { coldBackfill, coldBackfillRealCapacity } from "./coldBackfill.js";
import { eviction } from "./eviction.js";
import { memory } from "./memory.js";
import { modelCalls } from "./modelCalls.js";
import { overload } from "./overload.js";
import { proxyHotPath } from "./proxyHotPath.js";
import { seedIdeas } from "./seedIdeas.js";
import { scaleOut } from "./scaleOut.js";
import { yearScale } from "./yearScale.js";
import { yearScaleStore } from "./yearScaleStore.js";

/** Every benchmark, in the order they run and appear in docs/benchmarks.md (the order). */
export const BENCHMARKS: readonly Benchmark[] = [
  modelCalls,
  proxyHotPath,
  augmenterThroughput,
  memory,
  coldBackfill,
  coldBackfillRealCapacity,
  overload,
  aDay,
  yearScale,
  yearScaleStore,
  scaleOut,
  eviction,
  seedIdeas,
];
