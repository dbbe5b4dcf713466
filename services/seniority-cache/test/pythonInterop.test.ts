import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ModelSim } from "@seniority/model-sim";
import { DESCRIPTOR_SET_PATH } from "@seniority/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type Stack } from "./support/startStack.js";

// Debian's python3, where python3-grpcio and python3-protobuf are installed (.ci/run).
const PYTHON = "/usr/bin/python3";
const CLIENT = fileURLToPath(new URL("../../../test/interop/python_client.py", import.meta.url));
const run = promisify(execFile);

/**
 * An existing Python client of the model, built from docs/spec.md's proto text at run time, pointed at
 * the proxy instead of the model: it works unchanged, and its second call never reaches the model.
 */
describe("Python grpcio client against the proxy", () => {
  let sim: ModelSim;
  let proxy: Stack;
  let dir: string;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
    proxy = await startProxy({
      store: "memory",
      model: sim.address,
      server: { limits: { maxFieldBytes: 64 } },
    });
    dir = await mkdtemp(join(tmpdir(), "cache-interop-"));
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const python = (...args: string[]) =>
    run(PYTHON, [
      CLIENT,
      proxy.server.address,
      "--descriptor",
      DESCRIPTOR_SET_PATH,
      "--timeout",
      "10",
      ...args,
    ]);

  it("gets docs/spec.md's levels, the second time from the cache", async () => {
    const expected = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7];
    const first = JSON.parse((await python()).stdout) as { uuid: number; seniority: number }[];
    expect(first.map((a) => a.uuid)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(first.map((a) => a.seniority)).toEqual(expected);
    expect(sim.stats().items).toBe(21);
    const second = JSON.parse((await python()).stdout) as { uuid: number; seniority: number }[];
    expect(second).toEqual(first);
    expect(sim.stats().items).toBe(21);
  });

  it("sees the proxy's INVALID_ARGUMENT for an oversized field", async () => {
    const requests = join(dir, "requests.json");
    await writeFile(requests, JSON.stringify([{ uuid: 77, company: "Acme", title: "x".repeat(65) }]));
    await expect(python("--requests", requests)).rejects.toMatchObject({
      code: 1,
      stderr:
        "python_client.py: INVALID_ARGUMENT: title of uuid 77 is 65 bytes; the limit is 64 bytes (--max-field-bytes)\n",
    });
  });
});
