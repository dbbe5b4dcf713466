import { ServerReflectionService } from "nice-grpc-server-reflection";

/**
 * `grpc.reflection.v1alpha.ServerReflection`, which older grpcurl builds and IDE clients still
 * call. Its messages are the v1 messages field for field (v1 was v1alpha renamed), so the v1
 * definition of nice-grpc-server-reflection serves it with only the method path changed.
 */
export const ServerReflectionV1AlphaService = {
  serverReflectionInfo: {
    ...ServerReflectionService.serverReflectionInfo,
    path: "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
  },
} as const;
