import { readFileSync } from "node:fs";
import type { Server } from "nice-grpc";
import { createReflectionService } from "./createReflectionService.js";
import { DESCRIPTOR_SET_PATH } from "./descriptorSetPath.js";
import { ServerReflectionV1AlphaService } from "./ServerReflectionV1AlphaService.js";

/**
 * Adds gRPC server reflection for `services` (full names, all in DESCRIPTOR_SET_PATH) to `server`,
 * as `grpc.reflection.v1.ServerReflection` and as `grpc.reflection.v1alpha.ServerReflection`.
 */
export function addServerReflection(server: Server, services: readonly string[]): void {
  const reflection = createReflectionService(readFileSync(DESCRIPTOR_SET_PATH), services);
  server.add(reflection.definition, reflection.implementation);
  server.add(ServerReflectionV1AlphaService, reflection.implementation);
}
