import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/runCli.js";
import { useTlsChain } from "../support/useTlsChain.js";

// Issue 13 "done when": the whole chain augmenter → proxy → model-sim with mTLS on both hops, and
// proxy → Redis over TLS (client certificate required) as the least-privilege ACL user of
// deploy/redis/users.acl with its password in a file — every party a real process (`seniority`,
// redis-server) with real certificates (openssl), and no private key or password in any line any
// of them prints (see useTlsChain).
// This file: `seniority admin` to the mTLS proxy, embedded mode to the mTLS model, bad TLS flags.

describe("augmenter → proxy → model-sim, mTLS on every hop", () => {
  const chain = useTlsChain();
  const { augment } = chain;

  it("seniority admin reaches the mTLS proxy with its --proxy-tls-* flags; without them, one clear line", async () => {
    // The admin API is on the proxy's gRPC port on this branch (issue 13.3 may move it).
    const admin = (...args: string[]) => runCli(["admin", "--proxy", chain.proxyAddress, ...args, "stats"]);
    const withCert = admin(...chain.proxyTlsFlags);
    const plaintext = admin();
    chain.runs.push(withCert, plaintext);
    expect(await withCert.exited, withCert.stderr()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(withCert.stdout())).toMatchObject({ namespace: expect.stringMatching(/:sim/) });
    expect(await plaintext.exited).toEqual({ code: 1, signal: null });
    expect(plaintext.stderr()).toMatch(
      new RegExp(
        `^admin call to ${chain.proxyAddress} failed: UNAVAILABLE: .*; TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca\n$`,
      ),
    );
  });

  it("embedded mode: augment --model https://… --model-tls-* reaches the mTLS model-sim", async () => {
    const base = ["augment", "--once", "--input", join(chain.dir, "raw"), "--store", "memory"];
    const embedded = runCli([
      ...base,
      "--output",
      join(chain.dir, "mod-embedded"),
      "--model",
      `https://${chain.simAddress}`,
      "--model-tls-ca",
      chain.ca.cert,
      "--model-tls-cert",
      chain.proxyClient.cert,
      "--model-tls-key",
      chain.proxyClient.key,
    ]);
    const misplaced = runCli([
      ...base,
      "--output",
      join(chain.dir, "mod-x"),
      "--model",
      "sim",
      "--model-tls-ca",
      chain.ca.cert,
    ]);
    chain.runs.push(embedded, misplaced);
    expect(await embedded.exited, embedded.stderr()).toEqual({ code: 0, signal: null });
    const lines = (await readFile(join(chain.dir, "mod-embedded", "1721183934.jsonl"), "utf8"))
      .trimEnd()
      .split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority)).toEqual([7, 2, 1]);
    expect(await misplaced.exited).toEqual({ code: 2, signal: null });
    expect(misplaced.stderr()).toBe("error: --model-tls-* flags need --model <host:port>\n");
  });

  it("a bad TLS flag is a usage error naming the flag (exit 2), and never prints the key", async () => {
    const missing = augment(
      "mod-bad",
      "--proxy-tls-ca",
      chain.ca.cert,
      "--proxy-tls-cert",
      chain.augmenterClient.cert,
    );
    const swapped = augment(
      "mod-bad",
      "--proxy-tls-ca",
      chain.ca.cert,
      "--proxy-tls-cert",
      chain.augmenterClient.key,
      "--proxy-tls-key",
      chain.augmenterClient.key,
    );
    chain.runs.push(missing, swapped);
    expect(await missing.exited).toEqual({ code: 2, signal: null });
    expect(missing.stderr()).toBe("error: --proxy-tls-cert needs --proxy-tls-key\n");
    expect(await swapped.exited).toEqual({ code: 2, signal: null });
    expect(swapped.stderr()).toBe(
      `error: --proxy-tls-cert ${chain.augmenterClient.key} is not a PEM certificate\n`,
    );
    for (const secret of chain.secrets) expect(swapped.stderr()).not.toContain(secret);
  });
});
