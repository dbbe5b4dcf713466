import { execFile } from "node:child_process";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DESCRIPTOR_SET_PATH } from "@seniority/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelSim } from "../src/ModelSim.js";

// Debian's python3 (not a pyenv one on PATH): that is where python3-grpcio and python3-protobuf go.
const PYTHON = "/usr/bin/python3";
const CLIENT = fileURLToPath(new URL("../../../test/interop/python_client.py", import.meta.url));
const run = promisify(execFile);

/**
 * A client in another language, built from docs/spec.md's proto text and nothing of ours but the
 * descriptor set, gets correct answers. Runs asynchronously: the simulator answers from this process.
 */
describe("Python grpcio client", () => {
  let sim: ModelSim;
  let dir: string;

  beforeAll(async () => {
    try {
      await run(PYTHON, ["-c", "import grpc, google.protobuf"]);
    } catch (error) {
      throw new Error(
        `${PYTHON} cannot import grpc / google.protobuf; install them with ` +
          `"apt-get install -y python3-grpcio python3-protobuf" (${String(error)})`,
        { cause: error },
      );
    }
    sim = await ModelSim.start({ capacity: 1_000_000 });
    dir = await mkdtemp(join(tmpdir(), "model-sim-interop-"));
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const python = (...args: string[]) =>
    run(PYTHON, [CLIENT, sim.address, "--descriptor", DESCRIPTOR_SET_PATH, "--timeout", "10", ...args]);

  it("gets docs/spec.md's levels for docs/spec.md's example titles", async () => {
    const { stdout } = await python();
    const answers = JSON.parse(stdout) as { uuid: number; seniority: number }[];
    expect(answers.map((a) => a.uuid)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(answers.map((a) => a.seniority)).toEqual([
      1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7,
    ]);
  });

  it("sends unicode strings and negative uuids intact", async () => {
    const requests = join(dir, "requests.json");
    await writeFile(
      requests,
      JSON.stringify([
        { uuid: -5, company: "Société Générale", title: "Chief Revenue Officer – EMEA" },
        { uuid: 2147483647, company: "株式会社", title: 'Senior "Data" Engineer\\Ops' },
      ]),
    );
    const before = sim.stats().distinctPairs;
    const { stdout } = await python("--requests", requests);
    expect(JSON.parse(stdout)).toEqual([
      { uuid: -5, seniority: 7 },
      { uuid: 2147483647, seniority: 3 },
    ]);
    expect(sim.stats().distinctPairs).toBe(before + 2);
  });

  it("reports the gRPC status of a failed call and exits 1", async () => {
    sim.setFaults({ refuseAll: true });
    try {
      await expect(python()).rejects.toMatchObject({
        code: 1,
        stderr: "python_client.py: UNAVAILABLE: model-sim refuses all calls (injected fault)\n",
      });
    } finally {
      sim.setFaults({ refuseAll: false });
    }
  });
});
