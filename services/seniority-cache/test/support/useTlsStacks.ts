import { ChannelCredentials } from "@grpc/grpc-js";
import {
  describeTransportFailure,
  dialTarget,
  SeniorityModelDefinition,
  type ClientTlsOptions,
} from "@seniority/proto";
import { TestCertificates, type CertificateFiles } from "@seniority/testkit";
import { ClientError, createChannel, createClient, Status, type Channel } from "nice-grpc";
import { afterAll, beforeAll, expect } from "vitest";
import { levelOf, RecordingModel } from "../../../../libs/seniority-cache/test/support/RecordingModel.js";
import { startStack, type Stack } from "./startStack.js";

/** One request of one item (uuid 1, Acme) with `title`. */
const request = (title: string) => ({ batch: [{ uuid: 1, company: "Acme", title }] });

/**
 * TLS stacks for the current suite (issue 13.1: real handshakes, certificates made by openssl):
 * a main CA with a server and a client certificate, another CA with a stranger's client
 * certificate (made in beforeAll, readable in a hook or a test). `start` serves a stack with the
 * server certificate (re-read every 100 ms); `call` makes one call on a fresh channel. Every
 * stack, every channel pushed onto `channels` and the certificates are closed in afterAll.
 */
export function useTlsStacks() {
  let certs: TestCertificates | undefined;
  let ca: CertificateFiles | undefined;
  let otherCa: CertificateFiles | undefined;
  let server: CertificateFiles | undefined;
  let client: CertificateFiles | undefined;
  let strangerClient: CertificateFiles | undefined;
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
  const made = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useTlsStacks(): the certificates are made in beforeAll");
    return value;
  };

  async function start(tls: { clientCaFile?: string; certFile?: string; keyFile?: string } = {}) {
    const model = new RecordingModel();
    const stack = await startStack({
      model,
      server: {
        tls: { certFile: made(server).cert, keyFile: made(server).key, refreshIntervalMs: 100, ...tls },
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

  return {
    start,
    call,
    request,
    channels,
    get certs(): TestCertificates {
      return made(certs);
    },
    get ca(): CertificateFiles {
      return made(ca);
    },
    get otherCa(): CertificateFiles {
      return made(otherCa);
    },
    get server(): CertificateFiles {
      return made(server);
    },
    get client(): CertificateFiles {
      return made(client);
    },
    get strangerClient(): CertificateFiles {
      return made(strangerClient);
    },
  };
}
