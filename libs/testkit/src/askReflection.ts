import { Client, credentials } from "@grpc/grpc-js";
// A CommonJS module (generated google-protobuf code): Node's ESM loader gives it only as a default
// export (vitest would also accept named imports; the benchmarks load this package without vitest).
import reflectionPb from "nice-grpc-server-reflection/lib/proto/grpc/reflection/v1/reflection_pb.js";

type ServerReflectionRequest = InstanceType<typeof reflectionPb.ServerReflectionRequest>;
type ServerReflectionResponse = InstanceType<typeof reflectionPb.ServerReflectionResponse>;
const { ServerReflectionRequest, ServerReflectionResponse } = reflectionPb;

/** What one reflection exchange returned: services listed, and the files that define `symbol`. */
export interface ReflectionAnswer {
  services: string[];
  /** Names of the files in the reply to file_containing_symbol, or the error message. */
  files: string[] | string;
}

/**
 * A real reflection client, as grpcurl is: a bidi stream on the method path of `version`
 * (`/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo` or `.v1.`), sending list_services
 * then file_containing_symbol. The messages are the same on both versions, so the v1 classes encode
 * them; only the path tells the server which service is asked.
 */
export async function askReflection(
  address: string,
  version: "v1" | "v1alpha",
  symbol: string,
): Promise<ReflectionAnswer> {
  const client = new Client(address, credentials.createInsecure());
  try {
    const call = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (request: ServerReflectionRequest) => Buffer.from(request.serializeBinary()),
      (bytes: Buffer) => ServerReflectionResponse.deserializeBinary(new Uint8Array(bytes)),
    );
    const replies: ServerReflectionResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on("data", (reply: ServerReflectionResponse) => replies.push(reply));
      call.on("error", reject);
      call.on("end", () => resolve());
    });
    call.write(new ServerReflectionRequest().setListServices(""));
    call.write(new ServerReflectionRequest().setFileContainingSymbol(symbol));
    call.end();
    await done;
    const services =
      replies[0]
        ?.getListServicesResponse()
        ?.getServiceList()
        .map((s) => s.getName()) ?? [];
    const error = replies[1]?.getErrorResponse();
    const files = error
      ? error.getErrorMessage()
      : (replies[1]?.getFileDescriptorResponse()?.getFileDescriptorProtoList() ?? []).map(fileName);
    return { services, files };
  } finally {
    client.close();
  }
}

/** The `name` (field 1) of a serialized FileDescriptorProto. */
function fileName(proto: Uint8Array | string): string {
  const bytes = typeof proto === "string" ? Buffer.from(proto, "base64") : Buffer.from(proto);
  if (bytes[0] !== 0x0a) throw new Error("a FileDescriptorProto starts with its name (field 1)");
  const length = bytes[1]!; // names here are shorter than 128 bytes: a one-byte varint
  return bytes.subarray(2, 2 + length).toString("utf8");
}
