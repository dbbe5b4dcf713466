import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CacheAdminServiceDefinition, SeniorityModelDefinition } from "@seniority/proto";
import { ClientError, createChannel, createClient, Metadata, Status, type Channel } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askReflection, useStarted, waitFor } from "@seniority/testkit";
import { FakeModel } from "../../libs/seniority-cache/test/support/FakeModel.js";
import { cacheOnFreePorts } from "../support/cacheOnFreePorts.js";
import { runCli, type CliRun } from "../support/runCli.js";

// Issue 13.3: the admin API (Lookup, Invalidate) only on its own listener, behind a bearer token.
// A real `seniority cache` child process, real gRPC clients and the real `seniority admin`. On the
// code before the issue every admin call on the public port succeeded with no credentials at all.

const TOKEN = "adm-7f3c9e21-token-right";
const ROTATED = "adm-2b8d4a60-token-rotated";
const WRONG = "adm-00000000-token-wrong";
const SECRETS = [TOKEN, ROTATED, WRONG];

async function status(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof ClientError) return `${Status[error.code]}: ${error.details}`;
    throw error;
  }
}

describe("admin API authentication (issue 13.3)", () => {
  const dir = mkdtempSync(join(tmpdir(), "seniority-admin-auth-"));
  const tokenFile = join(dir, "token");
  const wrongFile = join(dir, "wrong");
  let cache: CliRun;
  let publicAddress: string;
  let adminAddress: string;
  let publicChannel: Channel;
  let adminChannel: Channel;
  const children: CliRun[] = [];
  const model = useStarted("the fake model", () => FakeModel.start());

  beforeAll(async () => {
    writeFileSync(tokenFile, `${TOKEN}\n`);
    writeFileSync(wrongFile, `${WRONG}\n`);
    cache = runCli(
      cacheOnFreePorts(
        ...["--admin-token-file", tokenFile, "--model", model().address],
        ...["--store", "memory", "--max-delay-ms", "1"],
      ),
      { SENIORITY_LOG_LEVEL: "info" }, // refusals are logged: the log must not carry the token
    );
    children.push(cache);
    await waitFor(() => cache.stdout().includes("\n"), `the start line (stderr: ${cache.stderr()})`);
    const match = /grpc 127\.0\.0\.1:(\d+), http :\d+, admin 127\.0\.0\.1:(\d+) /.exec(cache.stdout());
    expect(match, cache.stdout()).not.toBeNull();
    publicAddress = `127.0.0.1:${match![1]}`;
    adminAddress = `127.0.0.1:${match![2]}`;
    publicChannel = createChannel(publicAddress);
    adminChannel = createChannel(adminAddress);
    const infer = createClient(SeniorityModelDefinition, publicChannel);
    await infer.inferSeniority({ batch: [{ uuid: 1, company: "Acme", title: "CEO" }] });
  });

  afterAll(async () => {
    publicChannel?.close();
    adminChannel?.close();
    for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const pairs = [{ company: "Acme", title: "CEO" }];
  /** `seniority admin --proxy <admin listener> --token-file <file> <command…>`, kept for the leak check. */
  const adminCli = (file: string, ...command: string[]): CliRun => {
    const run = runCli(["admin", "--proxy", adminAddress, "--token-file", file, ...command]);
    children.push(run);
    return run;
  };
  const adminWith = (authorization?: string) =>
    createClient(CacheAdminServiceDefinition, adminChannel, {
      "*": { metadata: Metadata(authorization === undefined ? {} : { authorization }) },
    });

  it("no token → UNAUTHENTICATED on every admin method; nothing is invalidated", async () => {
    const anonymous = adminWith();
    const unauthenticated =
      "UNAUTHENTICATED: the admin API needs a bearer token (seniority admin --token-file)";
    expect(await status(anonymous.lookup({ pairs }))).toBe(unauthenticated);
    expect(await status(anonymous.invalidate({ pairs }))).toBe(unauthenticated);
    expect(await status(anonymous.getStats({}))).toBe(unauthenticated);
    expect(await status(adminWith(`Basic ${TOKEN}`).invalidate({ pairs }))).toBe(unauthenticated);
    expect((await adminWith(`Bearer ${TOKEN}`).lookup({ pairs })).results).toEqual([
      { pair: pairs[0], seniority: 3, tier: "l1" },
    ]);
  });

  it("a wrong token → PERMISSION_DENIED; nothing is invalidated", async () => {
    const wrong = adminWith(`Bearer ${WRONG}`);
    const denied = "PERMISSION_DENIED: the admin token is not valid";
    expect(await status(wrong.lookup({ pairs }))).toBe(denied);
    expect(await status(wrong.invalidate({ pairs }))).toBe(denied);
    expect(await status(adminWith(`Bearer ${TOKEN.slice(0, -1)}`).invalidate({ pairs }))).toBe(denied);
    expect(await status(adminWith(`Bearer ${TOKEN}x`).invalidate({ pairs }))).toBe(denied);
    expect((await adminWith(`Bearer ${TOKEN}`).lookup({ pairs })).results[0]!.seniority).toBe(3);
  });

  it("the public port serves no Lookup or Invalidate, and reflection lists only what it serves", async () => {
    const open = createClient(CacheAdminServiceDefinition, publicChannel);
    expect(await status(open.lookup({ pairs }))).toBe(
      "UNIMPLEMENTED: The server does not implement the method /seniority.cache.v1.CacheAdminService/Lookup",
    );
    expect(await status(open.invalidate({ pairs }))).toBe(
      "UNIMPLEMENTED: The server does not implement the method /seniority.cache.v1.CacheAdminService/Invalidate",
    );
    expect((await open.getStats({})).namespace).toBe("v1:std:m:k2"); // the augmenter reads it at start
    expect((await askReflection(publicAddress, "v1", "SeniorityModel")).services).toEqual([
      "SeniorityModel",
      "seniority.cache.v1.CacheAdminService",
    ]);
    // The admin listener serves the admin API only: no health, no reflection.
    await expect(askReflection(adminAddress, "v1", "SeniorityModel")).rejects.toMatchObject({
      code: Status.UNIMPLEMENTED,
    });
  });

  it("the right token (seniority admin --token-file) → answers; the token file is re-read on rotation", async () => {
    const lookup = adminCli(tokenFile, "lookup", "Acme", "CEO");
    expect((await lookup.exited).code).toBe(0);
    expect(JSON.parse(lookup.stdout())).toEqual([{ pair: pairs[0], seniority: 3, tier: "l1" }]);

    const wrong = adminCli(wrongFile, "invalidate", "Acme", "CEO");
    const none = runCli(["admin", "--proxy", adminAddress, "stats"]);
    children.push(none);
    expect([(await wrong.exited).code, wrong.stderr()]).toEqual([
      1,
      `admin call to ${adminAddress} failed: PERMISSION_DENIED: the admin token is not valid\n`,
    ]);
    expect([(await none.exited).code, none.stderr()]).toEqual([
      1,
      `admin call to ${adminAddress} failed: UNAUTHENTICATED: the admin API needs a bearer token (seniority admin --token-file)\n`,
    ]);

    // Kubernetes rotates a secret by swapping the file under the mount: rename over it here.
    writeFileSync(join(dir, "token.new"), `${ROTATED}\n`);
    renameSync(join(dir, "token.new"), tokenFile);
    expect(await status(adminWith(`Bearer ${TOKEN}`).getStats({}))).toBe(
      "PERMISSION_DENIED: the admin token is not valid",
    );
    const invalidate = adminCli(tokenFile, "invalidate", "Acme", "CEO");
    expect([(await invalidate.exited).code, JSON.parse(invalidate.stdout() || "null")]).toEqual([
      0,
      { removed: 1 },
    ]);
  });

  it("bad admin flags → one line naming the flag, exit 2, no secret printed", async () => {
    const noToken = runCli(cacheOnFreePorts("--store", "memory"));
    const missing = runCli(cacheOnFreePorts("--admin-token-file", join(dir, "absent"), "--store", "memory"));
    const adminMissing = adminCli(join(dir, "absent"), "stats");
    children.push(noToken, missing);
    expect([(await noToken.exited).code, noToken.stderr()]).toEqual([
      2,
      "error: --admin-port and --admin-token-file go together (the admin API needs a token)\n",
    ]);
    expect([(await missing.exited).code, missing.stderr()]).toEqual([
      2,
      `error: --admin-token-file: admin token file ${join(dir, "absent")}: ENOENT\n`,
    ]);
    expect([(await adminMissing.exited).code, adminMissing.stderr()]).toEqual([
      2,
      `error: --token-file: cannot read ${join(dir, "absent")} (ENOENT)\n`,
    ]);
  });

  it("no token appears in any output of the processes that handled them", async () => {
    await waitFor(() => cache.stderr().includes("admin call with a wrong token refused"), "the refusal log");
    for (const child of children) {
      const output = child.stdout() + child.stderr();
      for (const secret of SECRETS) expect(output).not.toContain(secret);
    }
  });
});
