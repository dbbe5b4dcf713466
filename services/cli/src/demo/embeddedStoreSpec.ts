import { InvalidArgumentError } from "commander";

/**
 * Commander parser for the demo's --store: an embedded store only ("memory" or "lmdb:<path>"),
 * since the demo promises to run with no service installed and --fresh must be able to clear it.
 */
export function embeddedStoreSpec(value: string): string {
  const spec = value.trim();
  if (spec === "memory" || /^lmdb:.+/.test(spec)) return spec;
  throw new InvalidArgumentError(`expected memory or lmdb:<path>, got "${value}".`);
}
