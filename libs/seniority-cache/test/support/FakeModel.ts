import {
  SeniorityModelDefinition,
  type SeniorityRequestBatch,
  type SeniorityResponseBatch,
} from "@seniority/proto";
import { createServer, type Server } from "nice-grpc";

export type FakeReply = (
  request: SeniorityRequestBatch,
  call: number,
) => Promise<SeniorityResponseBatch> | SeniorityResponseBatch;

/** Answers level 3 for every item (a well-behaved model). */
export const answerAll: FakeReply = (request) => ({
  batch: request.batch.map((item) => ({ uuid: item.uuid, seniority: 3 })),
});

/**
 * A gRPC server speaking the model's contract whose replies a test scripts (wrong uuids, level 9,
 * errors, delays); records every request. For what model-sim cannot be made to do.
 */
export class FakeModel {
  readonly requests: SeniorityRequestBatch[] = [];
  reply: FakeReply = answerAll;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(reply: FakeReply = answerAll): Promise<FakeModel> {
    const server = createServer();
    const self: { model?: FakeModel } = {}; // the handler is registered before the instance exists
    server.add(SeniorityModelDefinition, {
      inferSeniority: async (request) => {
        const model = self.model!;
        model.requests.push(request);
        return model.reply(request, model.requests.length);
      },
    });
    self.model = new FakeModel(server, await server.listen("127.0.0.1:0"));
    self.model.reply = reply;
    return self.model;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
  }
}
