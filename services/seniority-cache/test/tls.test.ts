import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { ChannelCredentials } from "@grpc/grpc-js";
import {
  describeTransportFailure,
  dialTarget,
  SeniorityModelDefinition,
  TlsFileError,
  type ClientTlsOptions,
} from "@seniority/proto";
import { ClientError, createChannel, createClient, Status, type Channel } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificates, type CertificateFiles, waitFor } from "@seniority/testkit";
import { createLogger } from "@seniority/telemetry";
import { ModelSim } from "@seniority/model-sim";
import { pino } from "pino";
import { CacheError } from "@seniority/seniority-cache";
import { CacheServer } from "../src/grpc/CacheServer.js";
import { ModelHop } from "@seniority/seniority-cache";
import { SeniorityCache } from "@seniority/seniority-cache";
import { MemoryStore } from "@seniority/seniority-cache";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { startStack, type Stack } from "./support/startStack.js";

// Issue 13.1: real TLS handshakes against CacheServer (certificates made by openssl per run).
const logger = createLogger("tls-test");
const request = (title: string) => ({ batch: [{ uuid: 1, company: "Acme", title }] });

describe("CacheServer over TLS and mTLS", () => {
  let certs: TestCertificates;
  let ca: CertificateFiles;
  let otherCa: CertificateFiles;
  let server: CertificateFiles;
  let client: CertificateFiles;
  let strangerClient: CertificateFiles;
  const channels: Channel[] = [];
  const stacks: Stack[] = [];

  beforeAll(() => {
    certs = new TestCertificates();
    ca = certs.authority("main");
    otherCa = certs.authority("other");
    server = certs.issue("server", ca);
    client = certs.issue("client", ca, { usage: "client" });
    strangerClient = certs.issue("stranger", otherCa, { usage: "client" });
  });
  afterAll(async () => {
    for (const channel of channels) channel.close();
    await Promise.all(stacks.map((stack) => stack.close()));
    certs?.close();
  });

  async function start(tls: { clientCaFile?: string; certFile?: string; keyFile?: string } = {}) {
    const model = new RecordingModel();
    const stack = await startStack({
      model,
      server: {
        tls: { certFile: server.cert, keyFile: server.key, refreshIntervalMs: 100, ...tls },
      },
    });
    stacks.push(stack);
    return { stack, model };
  }

  /** One call on a fresh channel; its error, or undefined after a correct answer. */
  async function call(address: string, tls: ClientTlsOptions | ChannelCredentials | undefined) {
    const target =
      tls instanceof ChannelCredentials
        ? { address, credentials: tls, channelOptions: {}, secure: true }
        : dialTarget(address, { flagPrefix: "--proxy", ...tls });
    const channel = createChannel(target.address, target.credentials, target.channelOptions);
    channels.push(channel);
    const started = Date.now();
    try {
      const reply = await createClient(SeniorityModelDefinition, channel).inferSeniority(request("CTO"), {
        signal: AbortSignal.timeout(10_000),
      });
      expect(reply.batch).toEqual([{ uuid: 1, seniority: levelOf("CTO") }]);
      return undefined;
    } catch (error) {
      // Refused at the handshake: fails at once, never waits out the 10 s deadline.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(ClientError);
      expect((error as ClientError).code).toBe(Status.UNAVAILABLE);
      return describeTransportFailure(error, { secure: target.secure, flag: "--proxy" });
    } finally {
      channel.close();
    }
  }

  it("serves TLS: a client trusting the CA is answered; a plaintext one gets one clear line at once", async () => {
    const { stack } = await start();
    expect(await call(stack.server.address, { caFile: ca.cert })).toBeUndefined();
    expect(await call(`localhost:${stack.server.port}`, { caFile: ca.cert })).toBeUndefined();
    expect(await call(stack.server.address, undefined)).toBe(
      "TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca",
    );
    expect(await call(stack.server.address, { caFile: otherCa.cert })).toBe(
      "the server's certificate is not signed by a trusted CA: check --proxy-tls-ca",
    );
    expect(await call(stack.server.address, { caFile: ca.cert, serverName: "elsewhere.example" })).toBe(
      "the server's certificate is not for this host name: dial a name it carries or set --proxy-tls-server-name",
    );
  });

  it("mTLS: a client certificate of the client CA is accepted; none, or another CA's, is refused", async () => {
    const { stack, model } = await start({ clientCaFile: ca.cert });
    const address = stack.server.address;
    expect(
      await call(address, { caFile: ca.cert, certFile: client.cert, keyFile: client.key }),
    ).toBeUndefined();
    expect(await call(address, { caFile: ca.cert })).toBe(
      "the server refused this client's certificate (mTLS): check --proxy-tls-cert and --proxy-tls-key",
    );
    const refused = await call(address, {
      caFile: ca.cert,
      certFile: strangerClient.cert,
      keyFile: strangerClient.key,
    });
    expect(refused).toMatch(/^the (server refused this client's certificate|TLS handshake was refused)/);
    expect(model.items).toBe(1);
  });

  it("mTLS: an expired client certificate is refused by the server", async () => {
    const { stack } = await start({ clientCaFile: ca.cert });
    const expired = certs.issue("expired-client", ca, {
      usage: "client",
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-01-02T00:00:00Z"),
    });
    // Our own client refuses to present it (TlsFileError below); grpc-js's, given the files, sends it.
    const credentials = ChannelCredentials.createSsl(
      readFileSync(ca.cert),
      readFileSync(expired.key),
      readFileSync(expired.cert),
    );
    expect(await call(stack.server.address, credentials)).toMatch(
      /^the (server refused this client's certificate|TLS handshake was refused)/,
    );
    expect(() =>
      dialTarget(stack.server.address, {
        caFile: ca.cert,
        certFile: expired.cert,
        keyFile: expired.key,
        flagPrefix: "--proxy",
      }),
    ).toThrow(
      new TlsFileError(
        `--proxy-tls-cert ${expired.cert}: the certificate expired on Jan  2 00:00:00 2020 GMT`,
      ),
    );
  });

  it("refuses to start on an expired, mismatched or unreadable certificate, naming the flag and never the key", async () => {
    const expired = certs.issue("expired-server", ca, {
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-01-02T00:00:00Z"),
    });
    const cache = new SeniorityCache({
      store: new MemoryStore(),
      model: new RecordingModel(),
      l1Entries: 100,
    });
    const attempts: [Parameters<typeof CacheServer.start>[0]["tls"], string][] = [
      [
        { certFile: expired.cert, keyFile: expired.key },
        `--tls-cert ${expired.cert}: the certificate expired on Jan  2 00:00:00 2020 GMT`,
      ],
      [
        { certFile: server.cert, keyFile: client.key },
        `--tls-key ${client.key} is not the private key of --tls-cert ${server.cert}`,
      ],
      [
        { certFile: server.cert, keyFile: `${server.key}.missing` },
        `--tls-key ${server.key}.missing cannot be read (ENOENT)`,
      ],
      [{ certFile: server.key, keyFile: server.key }, `--tls-cert ${server.key} is not a PEM certificate`],
    ];
    const keyText = readFileSync(server.key, "utf8");
    for (const [tls, message] of attempts) {
      const error = await CacheServer.start({ cache, port: 0, host: "127.0.0.1", logger, tls }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toEqual(new TlsFileError(message));
      expect(String((error as Error).stack)).not.toContain(keyText.split("\n")[1]!);
    }
    await cache.close();
  });

  it("a certificate that has expired since start (rotated in) is refused by clients", async () => {
    const secret = certs.secretDir("expiring", server);
    const { stack } = await start({ certFile: secret.cert, keyFile: secret.key });
    expect(await call(stack.server.address, { caFile: ca.cert })).toBeUndefined();
    const expired = certs.issue("expired-rotated", ca, {
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-01-02T00:00:00Z"),
    });
    certs.rotateSecret(dirname(secret.cert), expired);
    let hint: string | undefined;
    await waitFor(
      async () => (hint = await call(stack.server.address, { caFile: ca.cert })) !== undefined,
      "the rotation",
    );
    expect(hint).toBe("the server's TLS certificate has expired");
  });

  it("rotation: calls in flight across a secret swap succeed, new connections get the new certificate", async () => {
    const secret = certs.secretDir("rotating", server);
    const next = certs.issue("server-next", otherCa);
    const { stack, model } = await start({ certFile: secret.cert, keyFile: secret.key });
    const address = stack.server.address;
    // One long-lived channel (the connection a client holds across the rotation).
    const held = dialTarget(address, { caFile: ca.cert });
    const channel = createChannel(held.address, held.credentials, held.channelOptions);
    channels.push(channel);
    const heldClient = createClient(SeniorityModelDefinition, channel);
    // "CTO" (what call() asks) is cached from here on: probes below never need the held model.
    expect((await heldClient.inferSeniority(request("CTO"))).batch).toHaveLength(1);

    const release = model.hold();
    let inFlight: Promise<{ batch: { uuid: number; seniority: number }[] }>[];
    try {
      inFlight = Array.from({ length: 5 }, (_, i) => heldClient.inferSeniority(request(`in flight ${i}`)));
      await waitFor(() => model.batches.length >= 2, "the held calls to reach the model");
      certs.rotateSecret(dirname(secret.cert), next);
      // New connections see the new certificate once the watcher re-reads (every 100 ms here).
      await waitFor(
        async () => (await call(address, { caFile: otherCa.cert })) === undefined,
        "the new certificate",
      );
      expect(await call(address, { caFile: ca.cert })).toBe(
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

describe("ModelHop to a model-sim serving mTLS", () => {
  let certs: TestCertificates;
  let ca: CertificateFiles;
  let sim: ModelSim;
  beforeAll(async () => {
    certs = new TestCertificates();
    ca = certs.authority("model");
    const server = certs.issue("model-sim", ca);
    sim = await ModelSim.start({
      capacity: 1_000_000,
      tls: { certFile: server.cert, keyFile: server.key, clientCaFile: ca.cert },
    });
  });
  afterAll(async () => {
    await sim?.close();
    certs?.close();
  });

  it("answers with a client certificate; without one the log names the flags to set, callers see no TLS detail", async () => {
    const client = certs.issue("proxy", ca, { usage: "client" });
    const address = `https://localhost:${sim.address.split(":")[1]}`;
    const good = ModelHop.connect({
      address,
      tls: { caFile: ca.cert, certFile: client.cert, keyFile: client.key },
      retries: 0,
    });
    expect(await good.resolve([{ company: "Acme", title: "CEO" }])).toEqual([7]);
    await good.close();

    const warnings: Record<string, unknown>[] = [];
    const capture = pino({ level: "warn" }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const bare = ModelHop.connect({ address, tls: { caFile: ca.cert }, retries: 0, logger: capture });
    await expect(bare.resolve([{ company: "Acme", title: "CEO" }])).rejects.toThrow(
      new CacheError("UNAVAILABLE", "the seniority model is unavailable: UNAVAILABLE from the model"),
    );
    await bare.close();
    expect(warnings.map((warning) => [warning["msg"], warning["reason"], warning["hint"]])).toEqual([
      [
        "model batch failed",
        "UNAVAILABLE from the model",
        "the server refused this client's certificate (mTLS): check --model-tls-cert and --model-tls-key",
      ],
    ]);
    expect(sim.stats().items).toBe(1);
  });
});
