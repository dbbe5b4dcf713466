import { CacheAdminServiceDefinition } from "@seniority/proto";
import { createClient, Status } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";
import { ServerReflectionService } from "nice-grpc-server-reflection";
import {
  ServerReflectionRequest,
  type ServerReflectionResponse,
} from "nice-grpc-server-reflection/lib/proto/grpc/reflection/v1/reflection_pb.js";
import { describe, expect, it } from "vitest";
import { askReflection } from "@seniority/testkit";
import { RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { grpcError } from "./support/grpcError.js";
import { useStack } from "./support/useStack.js";

// What the public port serves besides inference: GetStats only of the admin API, health, reflection.
describe("CacheServer", () => {
  const model = new RecordingModel();
  const stack = useStack({
    model,
    server: { limits: { maxItems: 5, maxFieldBytes: 16 }, maxMessageBytes: 2048 },
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
