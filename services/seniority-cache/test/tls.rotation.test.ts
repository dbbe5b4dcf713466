import { dirname } from "node:path";
import { dialTarget, SeniorityModelDefinition } from "@seniority/proto";
import { waitFor } from "@seniority/testkit";
import { createChannel, createClient } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { levelOf } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { useTlsStacks } from "./support/useTlsStacks.js";

// Issue 13.1, certificate rotation: a certificate rotated in is served to new connections (an
// expired one is refused by clients); connections and calls in flight survive the swap.
describe("CacheServer over TLS and mTLS", () => {
  const fixture = useTlsStacks();
  const { start, call, request } = fixture;

  it("a certificate that has expired since start (rotated in) is refused by clients", async () => {
    const secret = fixture.certs.secretDir("expiring", fixture.server);
    const { stack } = await start({ certFile: secret.cert, keyFile: secret.key });
    expect(await call(stack.server.address, { caFile: fixture.ca.cert })).toBeUndefined();
    const expired = fixture.certs.issue("expired-rotated", fixture.ca, {
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-01-02T00:00:00Z"),
    });
    fixture.certs.rotateSecret(dirname(secret.cert), expired);
    let hint: string | undefined;
    await waitFor(
      async () => (hint = await call(stack.server.address, { caFile: fixture.ca.cert })) !== undefined,
      "the rotation",
    );
    expect(hint).toBe("the server's TLS certificate has expired");
  });

  it("rotation: calls in flight across a secret swap succeed, new connections get the new certificate", async () => {
    const secret = fixture.certs.secretDir("rotating", fixture.server);
    const next = fixture.certs.issue("server-next", fixture.otherCa);
    const { stack, model } = await start({ certFile: secret.cert, keyFile: secret.key });
    const address = stack.server.address;
    // One long-lived channel (the connection a client holds across the rotation).
    const held = dialTarget(address, { caFile: fixture.ca.cert });
    const channel = createChannel(held.address, held.credentials, held.channelOptions);
    fixture.channels.push(channel);
    const heldClient = createClient(SeniorityModelDefinition, channel);
    // "CTO" (what call() asks) is cached from here on: probes below never need the held model.
    expect((await heldClient.inferSeniority(request("CTO"))).batch).toHaveLength(1);

    const release = model.hold();
    let inFlight: Promise<{ batch: { uuid: number; seniority: number }[] }>[];
    try {
      inFlight = Array.from({ length: 5 }, (_, i) => heldClient.inferSeniority(request(`in flight ${i}`)));
      await waitFor(() => model.batches.length >= 2, "the held calls to reach the model");
      fixture.certs.rotateSecret(dirname(secret.cert), next);
      // New connections see the new certificate once the watcher re-reads (every 100 ms here).
      await waitFor(
        async () => (await call(address, { caFile: fixture.otherCa.cert })) === undefined,
        "the new certificate",
      );
      expect(await call(address, { caFile: fixture.ca.cert })).toBe(
        "the server's certificate is not signed by a trusted CA: check --proxy-tls-ca",
      );
    } finally {
      release();
    }
    const answers = await Promise.all(inFlight);
    expect(answers.map((answer) => answer.batch)).toEqual(
      Array.from({ length: 5 }, (_, i) => [{ uuid: 1, seniority: levelOf(`in flight ${i}`) }]),
    );
    // The held connection still works after the swap: it was never dropped.
    expect((await heldClient.inferSeniority(request("after"))).batch).toEqual([
      { uuid: 1, seniority: levelOf("after") },
    ]);
  });
});
