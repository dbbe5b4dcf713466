import { Client, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { INFER_SENIORITY_PATH, SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";

/** A pre-encoded request: encoding cost stays out of the measured loop for every target alike. */
export interface EncodedRequest {
  bytes: Buffer;
  items: number;
}

export function encodeRequest(pairs: readonly { company: string; title: string }[]): EncodedRequest {
  const message = SeniorityRequestBatch.encode({
    batch: pairs.map((p, uuid) => ({ uuid, company: p.company, title: p.title })),
  }).finish();
  return { bytes: Buffer.from(message.buffer, message.byteOffset, message.byteLength), items: pairs.length };
}

/**
 * The load generator's client for `/SeniorityModel/InferSeniority`: plain @grpc/grpc-js, the same
 * against the bare server, the proxy and the model. Every response is decoded and checked to
 * answer each item with a level in 1..7, so a broken target cannot post a good number.
 */
export class GrpcLoadClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new Client(address, credentials.createInsecure(), {
      "grpc.max_receive_message_length": 64 * 2 ** 20,
      "grpc.max_send_message_length": 64 * 2 ** 20,
    });
  }

  /** Sends one request; resolves to the number of items answered. */
  call(request: EncodedRequest, deadlineMs = 60_000, headers: Record<string, string> = {}): Promise<number> {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        INFER_SENIORITY_PATH,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => SeniorityResponseBatch.decode(bytes),
        request.bytes,
        metadata,
        { deadline: Date.now() + deadlineMs },
        (error: ServiceError | null, response?: SeniorityResponseBatch) => {
          if (error) return reject(new Error(`InferSeniority failed: ${error.code} ${error.details}`));
          const batch = response?.batch ?? [];
          if (batch.length !== request.items || batch.some((r) => r.seniority < 1 || r.seniority > 7)) {
            return reject(
              new Error(
                `InferSeniority answered ${batch.length} of ${request.items} items or a level outside 1..7`,
              ),
            );
          }
          resolve(batch.length);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
