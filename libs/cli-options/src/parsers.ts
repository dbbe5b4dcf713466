import { InvalidArgumentError } from "commander";

/**
 * Argument parsers for commander options. Each throws InvalidArgumentError with a message that
 * commander prefixes with the flag's name, so a bad value reads as one clear line.
 */

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    if (!/^-?\d+$/.test(trimmed)) throw new InvalidArgumentError(`expected an integer, got "${value}".`);
    const n = Number(trimmed);
    if (n < min || n > max)
      throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got ${n}.`);
    return n;
  };
}

export const port = integer(0, 65535);

export function number(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(n))
      throw new InvalidArgumentError(`expected a number, got "${value}".`);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number in ${min}..${max}, got ${n}.`);
    return n;
  };
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "30s", "5m", "1h", or a bare number of milliseconds → milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError(`expected a duration like 500ms, 30s, 5m or 1h, got "${value}".`);
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? "ms"]!);
}

/** "host:port" → the same string, validated. */
export function hostPort(value: string): string {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(value.trim());
  if (!match || Number(match[2]) > 65535)
    throw new InvalidArgumentError(`expected host:port, got "${value}".`);
  return value.trim();
}

/**
 * "host:port", "https://host:port" (TLS) or "dns:///host:port" (every address the name resolves to,
 * re-resolved, calls spread round-robin: a headless Service) → the same string, validated: an
 * address a gRPC client dials.
 */
export function dialAddress(value: string): string {
  const trimmed = value.trim();
  const scheme = /^(https:\/\/|dns:\/\/\/)/i.exec(trimmed)?.[0] ?? "";
  try {
    return `${scheme.toLowerCase()}${hostPort(trimmed.slice(scheme.length))}`;
  } catch {
    throw new InvalidArgumentError(
      `expected host:port, https://host:port or dns:///host:port, got "${value}".`,
    );
  }
}

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(", ")}, got "${value}".`);
    }
    return value as T;
  };
}

/** "true"/"false" (also 1/0, yes/no, on/off; any case) → boolean: for flags that also read an env variable. */
export function boolean(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(normalized)) return true;
  if (["false", "0", "no", "off"].includes(normalized)) return false;
  throw new InvalidArgumentError(`expected true or false, got "${value}".`);
}
