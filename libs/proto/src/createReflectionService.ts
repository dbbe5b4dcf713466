import { Status, type CallContext } from "nice-grpc";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";
import type {
  ServerReflectionRequest,
  ServerReflectionResponse,
} from "nice-grpc-server-reflection/lib/proto/grpc/reflection/v1/reflection_pb.js";

type ReflectionImplementation = ReturnType<typeof ServerReflection>;

/**
 * gRPC server reflection (nice-grpc-server-reflection) for `services` in the descriptor set, with
 * one fix: that library names symbols of a file without a `package` line ".Name" (it prefixes
 * `getPackage() + "."` and an absent package reads as ""), so `grpcurl describe SeniorityModel`
 * got NOT_FOUND. A symbol lookup that fails is asked again with the leading dot, and the reply
 * carries the caller's original request.
 */
export function createReflectionService(
  protoset: Uint8Array,
  services: readonly string[],
): { definition: typeof ServerReflectionService; implementation: ReflectionImplementation } {
  const inner = ServerReflection(protoset, services);
  const ask = async (request: ServerReflectionRequest, context: CallContext) => {
    for await (const reply of inner.serverReflectionInfo(once(request), context)) return reply;
    throw new Error("server reflection sent no reply");
  };
  const implementation: ReflectionImplementation = {
    async *serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>, context: CallContext) {
      for await (const request of requests) {
        let reply: ServerReflectionResponse = await ask(request, context);
        const symbol = request.getFileContainingSymbol();
        if (
          symbol &&
          !symbol.startsWith(".") &&
          reply.getErrorResponse()?.getErrorCode() === Status.NOT_FOUND
        ) {
          const dotted = request.cloneMessage().setFileContainingSymbol(`.${symbol}`);
          const retried = await ask(dotted, context);
          if (!retried.hasErrorResponse()) reply = retried.setOriginalRequest(request);
        }
        yield reply;
      }
    },
  };
  return { definition: ServerReflectionService, implementation };
}

async function* once<T>(item: T): AsyncGenerator<T> {
  yield item;
}
