import { Client, credentials, Metadata as GrpcMetadata, type ServiceError } from "@grpc/grpc-js";
import { SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";
import { Metadata } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { grpcError } from "./support/grpcError.js";
import { useStack } from "./support/useStack.js";

// The model contract as served: the raw path and messages, answer order, and refused input.
describe("CacheServer", () => {
  const model = new RecordingModel();
  const stack = useStack({
    model,
    server: { limits: { maxItems: 5, maxFieldBytes: 16 }, maxMessageBytes: 2048 },
  });

  it("serves /SeniorityModel/InferSeniority with the model's exact messages", async () => {
    // A plain grpc-js client with only the path and the SPEC messages: what any other language's
    // generated client sends.
    const raw = new Client(stack.server.address, credentials.createInsecure());
    const reply = await new Promise<SeniorityResponseBatch>((resolve, reject) =>
      raw.makeUnaryRequest(
        "/SeniorityModel/InferSeniority",
        (message: SeniorityRequestBatch) => Buffer.from(SeniorityRequestBatch.encode(message).finish()),
        (bytes: Buffer) => SeniorityResponseBatch.decode(bytes),
        { batch: [{ uuid: 11, company: "Acme", title: "CEO" }] },
        new GrpcMetadata(),
        {},
        (error: ServiceError | null, value?: SeniorityResponseBatch) =>
          error ? reject(error) : resolve(value!),
      ),
    );
    raw.close();
    expect(reply).toEqual({ batch: [{ uuid: 11, seniority: levelOf("CEO") }] });
  });

  it("answers every item in request order with its own uuid, duplicates included", async () => {
    const reply = await stack.client.inferSeniority({
      batch: [
        { uuid: 7, company: "Acme", title: "Engineer" },
        { uuid: 7, company: "Acme", title: "Engineer" },
        { uuid: -3, company: "Beta", title: "VP" },
        { uuid: 0, company: "Acme ", title: "Engineer" },
      ],
    });
    expect(reply.batch).toEqual([
      { uuid: 7, seniority: levelOf("Engineer") },
      { uuid: 7, seniority: levelOf("Engineer") },
      { uuid: -3, seniority: levelOf("VP") },
      { uuid: 0, seniority: levelOf("Engineer") },
    ]);
    expect(await stack.client.inferSeniority({ batch: [] })).toEqual({ batch: [] });
  });

  it("rejects bad input with the stated status and message, and keeps serving", async () => {
    const six = Array.from({ length: 6 }, (_, uuid) => ({ uuid, company: "C", title: "T" }));
    expect(await grpcError(stack.client.inferSeniority({ batch: six }))).toEqual({
      code: "INVALID_ARGUMENT",
      details: "too many items: 6; the limit is 5 per request (--max-items)",
    });
    expect(
      await grpcError(
        stack.client.inferSeniority({
          batch: [
            { uuid: 1, company: "ok", title: "ok" },
            { uuid: 42, company: "ok", title: "é".repeat(9) },
          ],
        }),
      ),
    ).toEqual({
      code: "INVALID_ARGUMENT",
      details: "title of uuid 42 is 18 bytes; the limit is 16 bytes (--max-field-bytes)",
    });
    expect(
      await grpcError(
        stack.client.inferSeniority({ batch: [{ uuid: 5, company: "x".repeat(17), title: "t" }] }),
      ),
    ).toEqual({
      code: "INVALID_ARGUMENT",
      details: "company of uuid 5 is 17 bytes; the limit is 16 bytes (--max-field-bytes)",
    });
    const big = await grpcError(
      stack.client.inferSeniority({ batch: [{ uuid: 1, company: "c".repeat(3000), title: "t" }] }),
    );
    expect(big).toEqual({
      code: "RESOURCE_EXHAUSTED",
      details: "Received message larger than max (3011 vs 2048)",
    });
    expect(
      await grpcError(
        stack.client.inferSeniority(
          { batch: [{ uuid: 1, company: "c", title: "t" }] },
          { metadata: Metadata({ "x-seniority-priority": "urgent" }) },
        ),
      ),
    ).toEqual({
      code: "INVALID_ARGUMENT",
      details: 'metadata x-seniority-priority must be one of interactive, bulk, got "urgent"',
    });
    const ok = await stack.client.inferSeniority(
      { batch: [{ uuid: 1, company: "c", title: "Intern" }] },
      { metadata: Metadata({ "x-seniority-priority": "bulk" }) },
    );
    expect(ok.batch).toEqual([{ uuid: 1, seniority: levelOf("Intern") }]);
  });
});
