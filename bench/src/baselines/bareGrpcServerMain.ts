import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import type { SeniorityRequestBatch, SeniorityResponseBatch } from "@seniority/proto";
import { inferServiceDefinition } from "./inferServiceDefinition.js";

/**
 * The transport's ceiling: a bare @grpc/grpc-js server on the model's contract that answers every
 * item from a plain Map (company + "\n" + title → level). A pair it has not seen gets level 3 and
 * is remembered, so after the warm-up every lookup is a Map hit — the least work an all-hits proxy
 * could do. Run as its own process: `node bareGrpcServerMain.js`; prints "ready <port>".
 */
const levels = new Map<string, number>();

function inferSeniority(
  call: ServerUnaryCall<SeniorityRequestBatch, SeniorityResponseBatch>,
  callback: sendUnaryData<SeniorityResponseBatch>,
): void {
  const batch = call.request.batch.map((item) => {
    const key = `${item.company}\n${item.title}`;
    let level = levels.get(key);
    if (level === undefined) {
      level = 3;
      levels.set(key, level);
    }
    return { uuid: item.uuid, seniority: level };
  });
  callback(null, { batch });
}

const server = new Server({ "grpc.max_receive_message_length": 64 * 2 ** 20 });
server.addService(inferServiceDefinition, { inferSeniority });
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(error.message);
    process.exit(1);
  }
  process.stdout.write(`ready ${port}\n`);
});
process.once("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
