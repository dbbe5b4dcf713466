import type { ServiceDefinition } from "@grpc/grpc-js";
import { INFER_SENIORITY_PATH, SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";

/**
 * The upstream contract (`/SeniorityModel/InferSeniority`) as a plain @grpc/grpc-js service
 * definition over the same generated codecs the system uses — no nice-grpc, no middleware. The
 * bare server and the load client both use it.
 */
export const inferServiceDefinition = {
  inferSeniority: {
    path: INFER_SENIORITY_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (message: SeniorityRequestBatch) =>
      toBuffer(SeniorityRequestBatch.encode(message).finish()),
    requestDeserialize: (bytes: Buffer) => SeniorityRequestBatch.decode(bytes),
    responseSerialize: (message: SeniorityResponseBatch) =>
      toBuffer(SeniorityResponseBatch.encode(message).finish()),
    responseDeserialize: (bytes: Buffer) => SeniorityResponseBatch.decode(bytes),
  },
} satisfies ServiceDefinition;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
