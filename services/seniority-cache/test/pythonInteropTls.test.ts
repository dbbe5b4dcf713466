import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ModelSim } from "@seniority/model-sim";
import { DESCRIPTOR_SET_PATH } from "@seniority/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificates, type CertificateFiles } from "@seniority/testkit";
import { startProxy, type Stack } from "./support/startStack.js";

// Debian's python3, where python3-grpcio and python3-protobuf are installed (test/preflight.mjs).
const PYTHON = "/usr/bin/python3";
const CLIENT = fileURLToPath(new URL("../../../test/interop/python_client.py", import.meta.url));
const run = promisify(execFile);

/**
 * Issue 13: an existing Python grpcio client (C-core TLS, not Node's) against the proxy serving
 * mTLS: answered with a client certificate of the client CA, refused without one.
 */
describe("Python grpcio client against the proxy over mTLS", () => {
  let certs: TestCertificates;
  let ca: CertificateFiles;
  let client: CertificateFiles;
  let sim: ModelSim;
  let proxy: Stack;
  beforeAll(async () => {
    certs = new TestCertificates();
    ca = certs.authority("interop");
    const server = certs.issue("server", ca);
    client = certs.issue("python-client", ca, { usage: "client" });
    sim = await ModelSim.start({ capacity: 1_000_000 });
    proxy = await startProxy({
      store: "memory",
      model: sim.address,
      server: { tls: { certFile: server.cert, keyFile: server.key, clientCaFile: ca.cert } },
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
    certs?.close();
  });

  const python = (...args: string[]) =>
    run(PYTHON, [
      CLIENT,
      `localhost:${proxy.server.port}`,
      "--descriptor",
      DESCRIPTOR_SET_PATH,
      "--timeout",
      "10",
      "--tls-ca",
      ca.cert,
      ...args,
    ]);

  it("gets docs/spec.md's levels with a client certificate", async () => {
    const expected = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7];
    const answers = JSON.parse((await python("--tls-cert", client.cert, "--tls-key", client.key)).stdout) as {
      uuid: number;
      seniority: number;
    }[];
    expect(answers.map((a) => a.seniority)).toEqual(expected);
    expect(sim.stats().items).toBe(21);
  });

  it("is refused (UNAVAILABLE) without a client certificate", async () => {
    await expect(python()).rejects.toMatchObject({
      code: 1,
      // (C-core logs its TLS errors on stderr first; the client's own line is the last.)
      stderr: expect.stringMatching(/certificate required[^]*\npython_client\.py: UNAVAILABLE: .*\n$/),
    });
  });
});
