import { CacheError, ModelHop } from "@seniority/seniority-cache";
import { ModelSim } from "@seniority/model-sim";
import { TestCertificates, type CertificateFiles } from "@seniority/testkit";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 13.1, the model hop: ModelHop dialling a model-sim that requires client certificates.
describe("ModelHop to a model-sim serving mTLS", () => {
  let certs: TestCertificates;
  let ca: CertificateFiles;
  let sim: ModelSim;
  beforeAll(async () => {
    certs = new TestCertificates();
    ca = certs.authority("model");
    const server = certs.issue("model-sim", ca);
    sim = await ModelSim.start({
      capacity: 1_000_000,
      tls: { certFile: server.cert, keyFile: server.key, clientCaFile: ca.cert },
    });
  });
  afterAll(async () => {
    await sim?.close();
    certs?.close();
  });

  it("answers with a client certificate; without one the log names the flags to set, callers see no TLS detail", async () => {
    const client = certs.issue("proxy", ca, { usage: "client" });
    const address = `https://localhost:${sim.address.split(":")[1]}`;
    const good = ModelHop.connect({
      address,
      tls: { caFile: ca.cert, certFile: client.cert, keyFile: client.key },
      retries: 0,
    });
    expect(await good.resolve([{ company: "Acme", title: "CEO" }])).toEqual([7]);
    await good.close();

    const warnings: Record<string, unknown>[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const bare = ModelHop.connect({ address, tls: { caFile: ca.cert }, retries: 0, logger: capture });
    await expect(bare.resolve([{ company: "Acme", title: "CEO" }])).rejects.toThrow(
      new CacheError("UNAVAILABLE", "the seniority model is unavailable: UNAVAILABLE from the model"),
    );
    await bare.close();
    expect(warnings.map((warning) => [warning["msg"], warning["reason"], warning["hint"]])).toEqual([
      [
        "model batch failed",
        "UNAVAILABLE from the model",
        "the server refused this client's certificate (mTLS): check --model-tls-cert and --model-tls-key",
      ],
    ]);
    expect(sim.stats().items).toBe(1);
  });
});
