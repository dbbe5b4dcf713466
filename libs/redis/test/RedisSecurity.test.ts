import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRedisSecurity, redisConnection } from "../src/RedisSecurity.js";

describe("readRedisSecurity / redisConnection", () => {
  const dir = mkdtempSync(join(tmpdir(), "seniority-redis-security-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it("reads the files (a password's one trailing newline trimmed) and moves the user into the options", () => {
    const security = readRedisSecurity(
      { tlsCa: file("ca.pem", "CA"), passwordFile: file("pw", "p@ss w0rd:\n") },
      ["rediss://seniority%2Dcache@redis.internal:6380/2", undefined],
    );
    expect(security).toEqual({ tls: { ca: Buffer.from("CA") }, password: "p@ss w0rd:" });
    expect(redisConnection("rediss://seniority%2Dcache@redis.internal:6380/2", security)).toEqual({
      url: "rediss://redis.internal:6380/2",
      options: { tls: { ca: Buffer.from("CA") }, username: "seniority-cache", password: "p@ss w0rd:" },
    });
    // TLS material only ever goes to rediss:// connections; no security leaves the URL as it is.
    expect(redisConnection("redis://h:6379", { tls: { ca: Buffer.from("CA") } })).toEqual({
      url: "redis://h:6379",
      options: {},
    });
    expect(redisConnection("redis://u:pw@h:6379")).toEqual({ url: "redis://u:pw@h:6379", options: {} });
  });

  it.each([
    [{ passwordFile: "x" }, ["memory"], "--redis-password-file needs a Redis URL (redis:// or rediss://)"],
    [{ tlsKey: "x" }, ["rediss://h:1"], "--redis-tls-cert and --redis-tls-key go together"],
    [{ tlsCa: "x" }, ["redis://h:1"], "--redis-tls-ca needs a rediss:// URL (TLS)"],
    [
      { passwordFile: "pw" },
      ["redis://:inline@h:1"],
      "--redis-password-file: the Redis URL has a password too; give only one",
    ],
    [{ passwordFile: "empty" }, ["redis://h:1"], "--redis-password-file: <dir>/empty is empty"],
    [{ tlsCa: "absent" }, ["rediss://h:1"], "--redis-tls-ca: cannot read <dir>/absent (ENOENT)"],
  ])("%j with %j → %s", (files, urls, message) => {
    file("pw", "secret-value\n");
    file("empty", "\n");
    const inDir = Object.fromEntries(
      Object.entries(files).map(([k, v]) => [k, v === "x" ? v : join(dir, v)]),
    );
    expect(() => readRedisSecurity(inDir, urls)).toThrow(message.replace("<dir>", dir));
  });
});
