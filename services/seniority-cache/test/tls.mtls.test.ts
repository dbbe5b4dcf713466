import { readFileSync } from "node:fs";
import { ChannelCredentials } from "@grpc/grpc-js";
import { dialTarget, TlsFileError } from "@seniority/proto";
import { describe, expect, it } from "vitest";
import { useTlsStacks } from "./support/useTlsStacks.js";

// Issue 13.1, mTLS: a client certificate of the client CA is accepted; none, another CA's or an
// expired one is refused.
describe("CacheServer over TLS and mTLS", () => {
  const fixture = useTlsStacks();
  const { start, call } = fixture;

  it("mTLS: a client certificate of the client CA is accepted; none, or another CA's, is refused", async () => {
    const { stack, model } = await start({ clientCaFile: fixture.ca.cert });
    const address = stack.server.address;
    expect(
      await call(address, {
        caFile: fixture.ca.cert,
        certFile: fixture.client.cert,
        keyFile: fixture.client.key,
      }),
    ).toBeUndefined();
    expect(await call(address, { caFile: fixture.ca.cert })).toBe(
      "the server refused this client's certificate (mTLS): check --proxy-tls-cert and --proxy-tls-key",
    );
    const refused = await call(address, {
      caFile: fixture.ca.cert,
      certFile: fixture.strangerClient.cert,
      keyFile: fixture.strangerClient.key,
    });
    expect(refused).toMatch(/^the (server refused this client's certificate|TLS handshake was refused)/);
    expect(model.items).toBe(1);
  });

  it("mTLS: an expired client certificate is refused by the server", async () => {
    const { stack } = await start({ clientCaFile: fixture.ca.cert });
    const expired = fixture.certs.issue("expired-client", fixture.ca, {
      usage: "client",
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-01-02T00:00:00Z"),
    });
    // Our own client refuses to present it (TlsFileError below); grpc-js's, given the files, sends it.
    const credentials = ChannelCredentials.createSsl(
      readFileSync(fixture.ca.cert),
      readFileSync(expired.key),
      readFileSync(expired.cert),
    );
    expect(await call(stack.server.address, credentials)).toMatch(
      /^the (server refused this client's certificate|TLS handshake was refused)/,
    );
    expect(() =>
      dialTarget(stack.server.address, {
        caFile: fixture.ca.cert,
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
});
