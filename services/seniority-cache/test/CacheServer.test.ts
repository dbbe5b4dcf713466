import { Client, credentials, Metadata as GrpcMetadata, type ServiceError } from "@grpc/grpc-js";
import { SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";
import { CacheAdminServiceDefinition, SeniorityModelDefinition } from "@seniority/proto";
import { ClientError, createClient, createClientFactory, Metadata, Status } from "nice-grpc";
import { deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import { HealthDefinition } from "nice-grpc-server-health";
import { ServerReflectionService } from "nice-grpc-server-reflection";
import {
  ServerReflectionRequest,
  type ServerReflectionResponse,
} from "nice-grpc-server-reflection/lib/proto/grpc/reflection/v1/reflection_pb.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { askReflection } from "@seniority/testkit";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { startStack } from "./support/startStack.js";

async function grpcError(call: Promise<unknown>): Promise<{ code: string; details: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientError) return { code: Status[error.code], details: error.details };
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("CacheServer", () => {
  const model = new RecordingModel();
  let stack: Awaited<ReturnType<typeof startStack>>;
  beforeAll(async () => {
    stack = await startStack({
      model,
      server: { limits: { maxItems: 5, maxFieldBytes: 16 }, maxMessageBytes: 2048 },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    model.failing = false;
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

  it("answers UNAVAILABLE when the model fails, and serves cached pairs meanwhile", async () => {
    await stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Up", title: "CTO" }] });
    model.failing = true;
    expect(
      await grpcError(stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Down", title: "CTO" }] })),
    ).toEqual({ code: "UNAVAILABLE", details: "the seniority model is unavailable: test" });
    const cached = await stack.client.inferSeniority({ batch: [{ uuid: 2, company: "Up", title: "CTO" }] });
    expect(cached.batch).toEqual([{ uuid: 2, seniority: levelOf("CTO") }]);
  });

  it("ends a caller's wait at its deadline; the pair is still inferred and cached", async () => {
    const release = model.hold();
    const client = createClientFactory()
      .use(deadlineMiddleware)
      .create(SeniorityModelDefinition, stack.channel);
    const error = await grpcError(
      client.inferSeniority(
        { batch: [{ uuid: 1, company: "Slow", title: "Chief" }] },
        { deadline: new Date(Date.now() + 50) },
      ),
    ).finally(release);
    expect(error).toEqual({ code: "DEADLINE_EXCEEDED", details: "Deadline exceeded" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stack.cache.lookupCached([{ company: "Slow", title: "Chief" }])).toEqual([
      { level: levelOf("Chief"), tier: "l1" },
    ]);
  });

  it("serves the admin API: Lookup, Invalidate, GetStats", async () => {
    await stack.client.inferSeniority({ batch: [{ uuid: 1, company: "Adm", title: "Lead" }] });
    const lookup = await stack.admin.lookup({
      pairs: [
        { company: "Adm", title: "Lead" },
        { company: "Adm", title: "Nobody" },
      ],
    });
    expect(lookup.results).toEqual([
      { pair: { company: "Adm", title: "Lead" }, seniority: levelOf("Lead"), tier: "l1" },
      { pair: { company: "Adm", title: "Nobody" }, seniority: 0, tier: "" },
    ]);
    expect(await stack.admin.invalidate({ pairs: [{ company: "Adm", title: "Lead" }] })).toEqual({
      removed: 1,
    });
    const stats = await stack.admin.getStats({});
    expect(stats.namespace).toBe("v1:std:m:k2");
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.modelItems).toBe(model.items - 1); // the failed batch is not counted
    expect(
      await grpcError(
        stack.admin.lookup({ pairs: Array.from({ length: 6 }, () => ({ company: "a", title: "b" })) }),
      ),
    ).toEqual({
      code: "INVALID_ARGUMENT",
      details: "too many items: 6; the limit is 5 per request (--max-items)",
    });
  });

  it("serves only GetStats of the admin API on the public port", async () => {
    const publicAdmin = createClient(CacheAdminServiceDefinition, stack.channel);
    const pairs = [{ company: "Adm", title: "Lead" }];
    expect(await grpcError(publicAdmin.lookup({ pairs }))).toEqual({
      code: "UNIMPLEMENTED",
      details: "The server does not implement the method /seniority.cache.v1.CacheAdminService/Lookup",
    });
    expect(await grpcError(publicAdmin.invalidate({ pairs }))).toEqual({
      code: "UNIMPLEMENTED",
      details: "The server does not implement the method /seniority.cache.v1.CacheAdminService/Invalidate",
    });
    expect((await publicAdmin.getStats({})).namespace).toBe("v1:std:m:k2");
  });

  it("answers grpc.health.v1 Check", async () => {
    const health = createClient(HealthDefinition, stack.channel);
    expect(await health.check({ service: "" })).toEqual({ status: 1 }); // SERVING
    expect(await health.check({ service: "SeniorityModel" })).toEqual({ status: 1 });
  });

  it.each(["v1", "v1alpha"] as const)(
    "answers reflection %s from a raw client on its own path",
    async (v) => {
      expect(await askReflection(stack.server.address, v, "SeniorityModel")).toEqual({
        services: ["SeniorityModel", "seniority.cache.v1.CacheAdminService"],
        files: ["seniority_model.proto"],
      });
      expect(await askReflection(stack.server.address, v, "seniority.cache.v1.CacheAdminService")).toEqual({
        services: ["SeniorityModel", "seniority.cache.v1.CacheAdminService"],
        files: ["seniority/cache/v1/admin.proto"],
      });
    },
  );

  it("answers server reflection: the services and the descriptor of the model contract", async () => {
    const reflection = createClient(ServerReflectionService, stack.channel);
    async function* requests() {
      yield new ServerReflectionRequest().setListServices("");
      yield new ServerReflectionRequest().setFileContainingSymbol("SeniorityModel");
      yield new ServerReflectionRequest().setFileContainingSymbol("seniority.cache.v1.CacheAdminService");
      yield new ServerReflectionRequest().setFileContainingSymbol("NoSuchThing");
    }
    const replies: ServerReflectionResponse[] = [];
    for await (const reply of reflection.serverReflectionInfo(requests())) replies.push(reply);
    const services = replies[0]!
      .getListServicesResponse()!
      .getServiceList()
      .map((s) => s.getName());
    expect(services).toEqual(["SeniorityModel", "seniority.cache.v1.CacheAdminService"]);
    const files = replies[1]!.getFileDescriptorResponse()!.getFileDescriptorProtoList();
    const text = Buffer.from(files[0] as Uint8Array).toString("latin1");
    expect(text).toContain("seniority_model.proto");
    expect(text).toContain("InferSeniority");
    expect(replies[1]!.getOriginalRequest()!.getFileContainingSymbol()).toBe("SeniorityModel");
    const admin = replies[2]!.getFileDescriptorResponse()!.getFileDescriptorProtoList();
    expect(Buffer.from(admin[0] as Uint8Array).toString("latin1")).toContain(
      "seniority/cache/v1/admin.proto",
    );
    expect(replies[3]!.getErrorResponse()!.toObject()).toEqual({
      errorCode: Status.NOT_FOUND,
      errorMessage: "Symbol not found: NoSuchThing",
    });
  });
});
