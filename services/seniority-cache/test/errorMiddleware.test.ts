import { Writable } from "node:stream";
import { SeniorityModelDefinition } from "@seniority/proto";
import { ClientError, createChannel, createClient, createServer, ServerError, Status } from "nice-grpc";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheError } from "@seniority/seniority-cache";
import { createErrorMiddleware } from "../src/grpc/errorMiddleware.js";

describe("errorMiddleware", () => {
  const logged: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "error" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  let toThrow: unknown;
  const server = createServer().use(createErrorMiddleware(logger));
  server.add(SeniorityModelDefinition, {
    async inferSeniority() {
      throw toThrow;
    },
  });
  let client: ReturnType<typeof createClient<typeof SeniorityModelDefinition>>;
  beforeAll(async () => {
    const port = await server.listen("127.0.0.1:0");
    client = createClient(SeniorityModelDefinition, createChannel(`127.0.0.1:${port}`));
  });
  afterAll(() => server.forceShutdown());

  async function statusFor(error: unknown): Promise<[string, string]> {
    toThrow = error;
    try {
      await client.inferSeniority({ batch: [] });
    } catch (e) {
      if (e instanceof ClientError) return [Status[e.code], e.details];
      throw e;
    }
    throw new Error("expected a failure");
  }

  it("hides unexpected errors behind INTERNAL and logs them with their stack", async () => {
    logged.length = 0;
    expect(await statusFor(new Error("password=hunter2 at db-7"))).toEqual(["INTERNAL", "internal error"]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "unexpected error in a gRPC handler",
      path: "/SeniorityModel/InferSeniority",
    });
    expect(JSON.stringify(logged[0])).toContain("password=hunter2 at db-7");
    expect(String((logged[0]!["err"] as { stack: string }).stack)).toContain("errorMiddleware.test.ts");
  });

  it("maps CacheError to its status with its message, and passes ServerError through", async () => {
    logged.length = 0;
    expect(await statusFor(new CacheError("RESOURCE_EXHAUSTED", "queue full"))).toEqual([
      "RESOURCE_EXHAUSTED",
      "queue full",
    ]);
    expect(await statusFor(new CacheError("UNAVAILABLE", "model down"))).toEqual([
      "UNAVAILABLE",
      "model down",
    ]);
    expect(await statusFor(new ServerError(Status.NOT_FOUND, "nope"))).toEqual(["NOT_FOUND", "nope"]);
    expect(logged).toEqual([]);
  });
});
