import { Client, credentials, status, type ServiceError } from "@grpc/grpc-js";
import { SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelSim } from "../src/ModelSim.js";

/**
 * A raw grpc-js client with nothing generated but the message codecs: what every existing client
 * of the model does. It proves the method path on the wire is exactly /SeniorityModel/InferSeniority.
 */
describe("wire path", () => {
  let sim: ModelSim;
  let client: Client;

  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
    client = new Client(sim.address, credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  function call(path: string, request: SeniorityRequestBatch): Promise<SeniorityResponseBatch> {
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        path,
        (value: SeniorityRequestBatch) => Buffer.from(SeniorityRequestBatch.encode(value).finish()),
        (bytes: Buffer) => SeniorityResponseBatch.decode(bytes),
        request,
        (error: ServiceError | null, response?: SeniorityResponseBatch) =>
          error ? reject(error) : resolve(response!),
      );
    });
  }

  it("serves /SeniorityModel/InferSeniority", async () => {
    const response = await call("/SeniorityModel/InferSeniority", {
      batch: [
        { uuid: 1, company: "Acme Corp", title: "Senior Tax Accountant" },
        { uuid: 2, company: "Acme Corp", title: "CFO" },
      ],
    });
    expect(response).toEqual({
      batch: [
        { uuid: 1, seniority: 3 },
        { uuid: 2, seniority: 7 },
      ],
    });
  });

  it("serves no other path (a package-qualified one is UNIMPLEMENTED)", async () => {
    for (const path of ["/seniority.SeniorityModel/InferSeniority", "/SeniorityModel/inferSeniority"]) {
      await expect(call(path, { batch: [] })).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    }
  });
});
