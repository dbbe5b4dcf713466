import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { levelForTitle } from "@seniority/model-sim";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { jsonlFixture, type Fixture } from "./jsonlFixture.js";
import { parseAugment } from "./support/parseAugment.js";
import { useSimProxy } from "./support/useSimProxy.js";

const BIN = fileURLToPath(new URL("../../cli/bin/seniority.js", import.meta.url));

describe("seniority augment --leases", () => {
  it.each([
    [
      ["--once", "--leases", "http://cache:6379"],
      `error: option '--leases <url>' argument 'http://cache:6379' is invalid. expected redis://host:port or rediss://host:port, got "http://cache:6379".`,
    ],
    [
      ["--once", "--lease-ttl", "100ms"],
      `error: option '--lease-ttl <duration>' argument '100ms' is invalid. expected a duration of at least 300ms, got "100ms".`,
    ],
    [
      ["--once", "--lease-ttl", "soon"],
      `error: option '--lease-ttl <duration>' argument 'soon' is invalid. expected a duration like 500ms, 30s, 5m or 1h, got "soon".`,
    ],
  ])("%j → exit 2 with one line", async (args, message) => {
    expect(await parseAugment(args)).toEqual({ code: 2, error: message });
  });

  describe("two CLI processes on one input", () => {
    const redisServer = useRedis();
    // The augmenter's --proxy is the caching proxy (it asks its health and namespace at start).
    const models = useSimProxy();
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), "augmenter-leases-cli-"));
    });
    afterAll(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    function once(
      extra: string[],
      env: Record<string, string> = {},
    ): Promise<{ code: number | null; stdout: string }> {
      const child = spawn(
        process.execPath,
        [
          BIN,
          "augment",
          "--once",
          "--input",
          join(root, "raw"),
          "--output",
          join(root, "mod"),
          "--proxy",
          models.proxyAddress,
          "--chunk-lines",
          "50",
          ...extra,
        ],
        {
          env: { ...process.env, SENIORITY_LOG_LEVEL: "silent", ...env },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout })));
    }

    it("each exits 0 once nothing is pending, and every file is done exactly once between them", async () => {
      mkdirSync(join(root, "raw"));
      const files: Record<string, Fixture> = {};
      for (let i = 0; i < 8; i++) {
        const key = `${1721183934 + 60 * i}.jsonl`;
        files[key] = jsonlFixture(200 + i, 200);
        writeFileSync(join(root, "raw", key), files[key].bytes);
      }
      models.sim.setFaults({ latencyMs: 20 });
      let results;
      try {
        // One is configured by flags, the other by their variables.
        results = await Promise.all([
          once(["--leases", redisServer.url, "--lease-ttl", "3s"]),
          once([], { SENIORITY_LEASES: redisServer.url, SENIORITY_LEASE_TTL: "3s" }),
        ]);
      } finally {
        models.sim.setFaults({ latencyMs: 0 });
      }
      const summaries = results.map(
        ({ stdout }) => JSON.parse(stdout.trim()) as { files: Record<string, number>; failedFiles: string[] },
      );
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      expect(summaries.map((s) => s.failedFiles)).toEqual([[], []]);
      expect(summaries[0]!.files.done! + summaries[1]!.files.done!).toBe(8);
      // Each accounts only for files it looked at: done by itself, or found done after the other's
      // lease; files a checkpoint (written by the other) already covered are not looked at.
      for (const s of summaries) expect(s.files.done! + s.files.skipped!).toBeLessThanOrEqual(8);
      for (const [key, fixture] of Object.entries(files)) {
        const expected = fixture.good
          .map((line) => {
            const { title } = JSON.parse(line) as { title: string };
            return `${line.slice(0, -1)},"seniority":${levelForTitle(title)}}\n`;
          })
          .join("");
        expect(readFileSync(join(root, "mod", key), "utf8")).toBe(expected);
      }
      const redis = new Redis(redisServer.url);
      try {
        expect(await redis.keys("seniority:augmenter:lease:*")).toEqual([]); // all released
      } finally {
        redis.disconnect();
      }
    });
  });
});
