import { connectivityState } from "@grpc/grpc-js";
import { waitFor } from "@seniority/testkit";
import { SeniorityModelDefinition } from "@seniority/proto";
import { createChannel, createClient, type Channel } from "nice-grpc";
import { afterEach, describe, expect, it } from "vitest";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { startStack, type Stack } from "./support/startStack.js";

// Issue 13.5: per-connection limits of the proxy's gRPC server, observed with a real client.
const request = (title: string) => ({ batch: [{ uuid: 1, company: "Acme", title }] });

describe("CacheServer per-connection limits", () => {
  let stack: Stack | undefined;
  let channel: Channel | undefined;
  afterEach(async () => {
    channel?.close();
    await stack?.close();
  });

  it("max concurrent streams N: N + k calls on one connection reach the server at most N at a time", async () => {
    const N = 3;
    const k = 7;
    const model = new RecordingModel();
    stack = await startStack({ model, server: { transport: { maxConcurrentStreams: N } } });
    channel = createChannel(stack.server.address);
    const client = createClient(SeniorityModelDefinition, channel);
    const release = model.hold();
    const calls = Array.from({ length: N + k }, (_, i) => client.inferSeniority(request(`title ${i}`)));
    try {
      await waitFor(() => stack!.cache.stats().requests >= N, `${N} calls at the server`);
      // The other k wait in the client's HTTP/2 session; give them every chance to get through.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stack.cache.stats().requests).toBe(N);
    } finally {
      release();
    }
    const answers = await Promise.all(calls);
    expect(answers.map((answer) => answer.batch[0]!.seniority)).toEqual(
      Array.from({ length: N + k }, (_, i) => levelOf(`title ${i}`)),
    );
    expect(stack.cache.stats().requests).toBe(N + k);
  });

  it("max connection age: the server closes an aged connection, the client reconnects, calls keep succeeding", async () => {
    const model = new RecordingModel();
    stack = await startStack({
      model,
      server: { transport: { maxConnectionAgeMs: 300, maxConnectionAgeGraceMs: 1000 } },
    });
    channel = createChannel(stack.server.address);
    const client = createClient(SeniorityModelDefinition, channel);
    // Every state the channel passes through: READY → IDLE is the server's GOAWAY at max age.
    const states: string[] = [];
    const watch = (): void => {
      const state = channel!.getConnectivityState(false);
      states.push(connectivityState[state]);
      if (state !== connectivityState.SHUTDOWN) {
        channel!.watchConnectivityState(state, Infinity, watch);
      }
    };
    watch();
    let answered = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const reply = await client.inferSeniority(request(`title ${answered % 10}`));
      expect(reply.batch).toEqual([{ uuid: 1, seniority: levelOf(`title ${answered % 10}`) }]);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered).toBeGreaterThan(10);
    const readies = states.filter((state) => state === "READY").length;
    // ~1.5 s at a 300 ms max age (±10% jitter): at least two reconnections.
    expect(readies).toBeGreaterThanOrEqual(3);
    expect(states.filter((state) => state === "IDLE").length).toBeGreaterThanOrEqual(readies - 1);
  });
});
