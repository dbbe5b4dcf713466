import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

// The benchmarks import testkit from plain Node, whose ESM loader is stricter than vitest's
// (e.g. no named imports from CommonJS modules that do not declare them).
it("loads in plain Node, outside vitest", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--input-type=module",
    "-e",
    'const kit = await import("@seniority/testkit"); console.log(Object.keys(kit).sort().join(","));',
  ]);
  expect(stdout.trim()).toBe(
    "REDIS_CLUSTER_AVAILABLE,REDIS_CLUSTER_SKIP_MESSAGE,RedisCluster,RedisServer,S3RVER_CREDENTIALS,S3Server,TestCertificates,askReflection,freePort,generateCertificates,runInProcess,startAll,useRedis,useRedisCluster,useStarted,waitFor",
  );
});
