import { CacheAdminServiceDefinition, SeniorityModelDefinition } from "@seniority/proto";
import { PRIORITY_METADATA_KEY } from "@seniority/seniority-model";
import { createServer, ServerError, Status, type Server } from "nice-grpc";
import { HealthDefinition, HealthServiceImpl, HealthState } from "nice-grpc-server-health";

/** One call as the server saw it: its lane metadata and its pairs ("company|title"). */
export interface RecordedCall {
  lane: string | undefined;
  pairs: string[];
}

/**
 * A stand-in for the caching proxy on port 0, for what a real one cannot show: the lane of every
 * call. It serves health (SERVING), admin GetStats (its namespace) and the model's contract,
 * answering level 3 to everything and recording each call's `x-seniority-priority` and pairs.
 */
export class RecordingProxy {
  /** Calls from this one on (0-based) fail with INVALID_ARGUMENT (not retried): a proxy that breaks. */
  failFrom = Number.POSITIVE_INFINITY;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly calls: RecordedCall[],
  ) {}

  static async start(namespace = "v1:std:m:k2"): Promise<RecordingProxy> {
    const server = createServer();
    const calls: RecordedCall[] = [];
    const self: { proxy?: RecordingProxy } = {}; // the handler is registered before the instance exists
    server.add(HealthDefinition, HealthServiceImpl(HealthState()));
    const unimplemented = async (): Promise<never> => {
      throw new ServerError(Status.UNIMPLEMENTED, "not in the recording proxy");
    };
    server.add(CacheAdminServiceDefinition, {
      lookup: unimplemented,
      invalidate: unimplemented,
      getStats: async () => ({
        requests: 0,
        items: 0,
        l1Hits: 0,
        storeHits: 0,
        modelItems: 0,
        modelBatches: 0,
        coalesced: 0,
        namespace,
      }),
    });
    server.add(SeniorityModelDefinition, {
      inferSeniority: async (request, context) => {
        if (calls.length >= self.proxy!.failFrom) throw new ServerError(Status.INVALID_ARGUMENT, "broken");
        const pairs = request.batch.map(({ company, title }) => `${company}|${title}`);
        calls.push({ lane: context.metadata.get(PRIORITY_METADATA_KEY), pairs });
        return { batch: request.batch.map((item) => ({ uuid: item.uuid, seniority: 3 })) };
      },
    });
    self.proxy = new RecordingProxy(server, await server.listen("127.0.0.1:0"), calls);
    return self.proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Every pair sent, in order. */
  sent(): string[] {
    return this.calls.flatMap((c) => c.pairs);
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
  }
}
