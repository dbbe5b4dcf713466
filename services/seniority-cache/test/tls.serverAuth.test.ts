import { readFileSync } from "node:fs";
import { TlsFileError } from "@seniority/proto";
import { MemoryStore, SeniorityCache } from "@seniority/seniority-cache";
import { createLogger } from "@seniority/telemetry";
import { describe, expect, it } from "vitest";
import { RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { CacheServer } from "../src/grpc/CacheServer.js";
import { useTlsStacks } from "./support/useTlsStacks.js";

// Issue 13.1, the server's certificate: clients that trust its CA are answered, others get one
// clear line at once; a bad certificate or key refuses the start, naming the flag.
const logger = createLogger("tls-test");

describe("CacheServer over TLS and mTLS", () => {
  const fixture = useTlsStacks();
  const { start, call } = fixture;

  it("serves TLS: a client trusting the CA is answered; a plaintext one gets one clear line at once", async () => {
    const { stack } = await start();
    expect(await call(stack.server.address, { caFile: fixture.ca.cert })).toBeUndefined();
    expect(await call(`localhost:${stack.server.port}`, { caFile: fixture.ca.cert })).toBeUndefined();
    expect(await call(stack.server.address, undefined)).toBe(
      "TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca",
    );
    expect(await call(stack.server.address, { caFile: fixture.otherCa.cert })).toBe(
      "the server's certificate is not signed by a trusted CA: check --proxy-tls-ca",
    );
    expect(
      await call(stack.server.address, { caFile: fixture.ca.cert, serverName: "elsewhere.example" }),
    ).toBe(
      "the server's certificate is not for this host name: dial a name it carries or set --proxy-tls-server-name",
    );
  });

  it("refuses to start on an expired, mismatched or unreadable certificate, naming the flag and never the key", async () => {
    const expired = fixture.certs.issue("expired-server", fixture.ca, {
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
        { certFile: fixture.server.cert, keyFile: fixture.client.key },
        `--tls-key ${fixture.client.key} is not the private key of --tls-cert ${fixture.server.cert}`,
      ],
      [
        { certFile: fixture.server.cert, keyFile: `${fixture.server.key}.missing` },
        `--tls-key ${fixture.server.key}.missing cannot be read (ENOENT)`,
      ],
      [
        { certFile: fixture.server.key, keyFile: fixture.server.key },
        `--tls-cert ${fixture.server.key} is not a PEM certificate`,
      ],
    ];
    const keyText = readFileSync(fixture.server.key, "utf8");
    for (const [tls, message] of attempts) {
      const error = await CacheServer.start({ cache, port: 0, host: "127.0.0.1", logger, tls }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toEqual(new TlsFileError(message));
      expect(String((error as Error).stack)).not.toContain(keyText.split("\n")[1]!);
    }
    await cache.close();
  });
});
