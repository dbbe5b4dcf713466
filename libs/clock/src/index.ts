export type { Clock } from "./Clock.js";
export { systemClock } from "./systemClock.js";
export { ManualClock } from "./ManualClock.js";
