/** Injected faults, settable at start (flags) and at run time (`POST /faults`, `setFaults`). */
export interface Faults {
  /** Share of calls (0..1) failed with UNAVAILABLE before they reach the queue. */
  errorRate: number;
  /** Milliseconds added to every successful call after the model has served it (≥ 0). */
  latencyMs: number;
  /** Fail every call with UNAVAILABLE, as a model that is down. */
  refuseAll: boolean;
}

/**
 * Checks a partial update (from code or from JSON) and returns the faults it leads to.
 * Throws a RangeError naming the first bad field.
 */
export function applyFaults(current: Faults, update: unknown): Faults {
  if (typeof update !== "object" || update === null || Array.isArray(update)) {
    throw new RangeError("faults must be an object like {errorRate, latencyMs, refuseAll}");
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    switch (key) {
      case "errorRate":
        if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
          throw new RangeError(`errorRate must be a number in 0..1, got ${JSON.stringify(value)}`);
        }
        next.errorRate = value;
        break;
      case "latencyMs":
        if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
          throw new RangeError(`latencyMs must be a number ≥ 0, got ${JSON.stringify(value)}`);
        }
        next.latencyMs = value;
        break;
      case "refuseAll":
        if (typeof value !== "boolean") {
          throw new RangeError(`refuseAll must be true or false, got ${JSON.stringify(value)}`);
        }
        next.refuseAll = value;
        break;
      default:
        throw new RangeError(`unknown fault "${key}" (known: errorRate, latencyMs, refuseAll)`);
    }
  }
  return next;
}
