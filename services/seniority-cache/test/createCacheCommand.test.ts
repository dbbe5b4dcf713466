import { TestCertificates } from "@seniority/testkit";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { createAdminCommand } from "../src/cli/createAdminCommand.js";
import { createCacheCommand } from "../src/cli/createCacheCommand.js";

/** Parses argv with the command's action never reached; returns the usage error's message. */
async function usageError(command: ReturnType<typeof createCacheCommand>, argv: string[]): Promise<string> {
  let written = "";
  command.exitOverride().configureOutput({ writeErr: (text) => (written += text), writeOut: () => {} });
  for (const sub of command.commands) sub.configureOutput({ writeErr: (text) => (written += text) });
  try {
    await command.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return written.trim();
    throw error;
  }
  throw new Error("expected a usage error");
}

describe("createCacheCommand", () => {
  it.each([
    [
      ["--store", "mongodb://x"],
      `error: option '--store <spec>' argument 'mongodb://x' is invalid. expected memory, lmdb:<path>, redis://host:port, rediss://host:port or redis-cluster://host:port,…; got "mongodb://x".`,
    ],
    [
      ["--normalization", "loose"],
      `error: option '--normalization <mode>' argument 'loose' is invalid. Allowed choices are exact, standard, casefold, cluster.`,
    ],
    [
      ["--redis-layout", "wide"],
      `error: option '--redis-layout <layout>' argument 'wide' is invalid. Allowed choices are compact, keys.`,
    ],
    [
      ["--model", "nohost"],
      `error: option '--model <host:port>' argument 'nohost' is invalid. expected host:port, https://host:port or dns:///host:port, got "nohost".`,
    ],
    [
      ["--ttl", "soon"],
      `error: option '--ttl <duration>' argument 'soon' is invalid. expected a duration like 500ms, 30s, 5m or 1h, got "soon".`,
    ],
    [
      ["--model-capacity", "0"],
      "error: option '--model-capacity <items/s>' argument '0' is invalid. expected a number in 1..Infinity, got 0.",
    ],
    [
      ["--shared-pacing", "maybe"],
      `error: option '--shared-pacing [bool]' argument 'maybe' is invalid. expected true or false, got "maybe".`,
    ],
    [
      ["--replicas-hint", "0"],
      "error: option '--replicas-hint <n>' argument '0' is invalid. expected an integer in 1..10000, got 0.",
    ],
    [
      ["--claim-ttl-ms", "5"],
      "error: option '--claim-ttl-ms <ms>' argument '5' is invalid. expected an integer in 100..3600000, got 5.",
    ],
    [
      ["--redis-partitions", "16385"],
      "error: option '--redis-partitions <n>' argument '16385' is invalid. expected an integer in 1..16384, got 16385.",
    ],
    [
      ["--bulk-slice-ms", "0"],
      "error: option '--bulk-slice-ms <ms>' argument '0' is invalid. expected an integer in 1..60000, got 0.",
    ],
    [["--max-queued", "10"], "error: --max-queued (10) must be at least --max-batch (1000)"],
    [
      ["--bloom-fp-rate", "0.9"],
      "error: option '--bloom-fp-rate <rate>' argument '0.9' is invalid. expected a number in 0.000001..0.5, got 0.9.",
    ],
    [
      ["--bloom", "--expected-pairs", "1000000000", "--bloom-fp-rate", "0.0001"],
      "error: --expected-pairs and --bloom-fp-rate: a filter of 1000000000 pairs at 0.0001 needs 19170116768 bits, over the 2^32 limit",
    ],
    [["--bloom", "--bloom-rebuild-timeout", "0"], "error: --bloom-rebuild-timeout must be more than 0"],
    [["--peer-tls-cert", "package.json"], "error: --peer-tls-cert needs --peer-tls-key"],
  ])("%j → %s", async (argv, message) => {
    expect(await usageError(createCacheCommand(), argv)).toBe(message);
  });

  it("refuses --peer-tls-* without --peer-address (they say how this replica dials its peers)", async () => {
    const certs = new TestCertificates();
    try {
      const ca = certs.authority("peers");
      expect(await usageError(createCacheCommand(), ["--peer-tls-ca", ca.cert])).toBe(
        "error: --peer-tls-* need --peer-address (they are how this replica dials its peers)",
      );
    } finally {
      certs.close();
    }
  });

  it("reads every flag from SENIORITY_CACHE_* too", () => {
    const command = createCacheCommand();
    const envs = command.options.map((option) => option.envVar);
    expect(envs).toHaveLength(command.options.length);
    for (const option of command.options) {
      expect(option.envVar).toBe(
        `SENIORITY_CACHE_${option
          .attributeName()
          .replace(/[A-Z]/g, (c) => `_${c}`)
          .toUpperCase()}`,
      );
    }
  });
});

describe("createAdminCommand", () => {
  it("needs a company and a title per pair", async () => {
    expect(await usageError(createAdminCommand(), ["lookup", "Acme"])).toBe(
      "error: pairs need a company and a title each (an even number of arguments)",
    );
  });
});
