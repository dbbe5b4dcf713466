import { accessSync, constants, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { SeniorityClient } from "@seniority/seniority-model";
import { waitFor } from "@seniority/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { levelOf, RecordingModel } from "../../../libs/seniority-cache/test/support/RecordingModel.js";
import { startStack, type Stack } from "./support/startStack.js";

// Three proxies behind one DNS name, as a headless Service gives them: the name resolves (through
// /etc/hosts, which getaddrinfo reads like any resolver answer) to three loopback addresses, each
// with a proxy on the same port. The client is the one the augmenter and other teams use,
// dialing dns:///<name>:<port>. Editing /etc/hosts needs root (CI runs as root here); without it
// the suite is skipped, saying so.
const HOSTS = "/etc/hosts";
const NAME = `seniority-lb-${process.pid}.test`;
const ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3"];
/** The servers' connection age in this test (production: 30 min); clients re-resolve after a GOAWAY. */
const AGE_MS = 1000;

function hostsWritable(): boolean {
  try {
    accessSync(HOSTS, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Puts NAME → `addresses` in /etc/hosts (only this test's lines are touched). */
function publish(addresses: readonly string[]): void {
  const others = readFileSync(HOSTS, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.endsWith(` ${NAME}`));
  writeFileSync(HOSTS, [...others, ...addresses.map((address) => `${address} ${NAME}`)].join("\n") + "\n");
}

/** A port free on every address (the three proxies share it). */
async function portFreeOnAll(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(
      ADDRESSES.map(
        (host) =>
          new Promise<boolean>((resolve) => {
            const probe = createServer().once("error", () => resolve(false));
            probe.listen(port, host, () => probe.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
}

describe.skipIf(!hostsWritable())("clients spread calls over every proxy behind a dns:/// name", () => {
  const stacks: Stack[] = [];
  const models: RecordingModel[] = [];
  let client: SeniorityClient | undefined;
  afterAll(async () => {
    publish([]);
    await client?.close();
    await Promise.all(stacks.map((stack) => stack.close()));
  });

  async function startProxy(host: string, port: number): Promise<void> {
    const model = new RecordingModel();
    models.push(model);
    stacks.push(
      await startStack({
        model,
        server: { host, port, transport: { maxConnectionAgeMs: AGE_MS, maxConnectionAgeGraceMs: 500 } },
      }),
    );
  }

  it("round-robins over the three, and picks up a fourth address within the connection age", async () => {
    const port = await portFreeOnAll();
    for (const host of ADDRESSES.slice(0, 2)) await startProxy(host, port);
    publish(ADDRESSES.slice(0, 2));
    client = new SeniorityClient({
      address: `dns:///${NAME}:${port}`,
      lane: "interactive",
      retries: 3,
      retryBaseDelayMs: 20,
      // grpc-js re-resolves at most every 30 s by default; the test's age window is 1 s.
      channelOptions: { "grpc.dns_min_time_between_resolutions_ms": 200 },
    });
    let next = 0;
    const ask = async (): Promise<void> => {
      const pair = { company: "Acme", title: `title ${next++}` };
      expect(await client!.resolve([pair])).toEqual([levelOf(pair.title)]);
    };
    // Round-robin starts once both connections are ready (the first call may take the first one).
    for (let i = 0; i < 20; i++) await ask();
    for (const model of models) expect(model.items).toBeGreaterThanOrEqual(8);

    // A new pod: its address joins the name; the aged connections go away and the client,
    // re-resolving, adds it to the rotation.
    await startProxy(ADDRESSES[2]!, port);
    publish(ADDRESSES);
    const third = models[2]!;
    const started = Date.now();
    await waitFor(
      async () => {
        await ask();
        return third.items > 0;
      },
      "a call to reach the new proxy",
      10_000,
    );
    const pickedUpMs = Date.now() - started;
    expect(pickedUpMs).toBeLessThan(AGE_MS * 5);
    const before = models.map((model) => model.items);
    for (let i = 0; i < 30; i++) await ask();
    const spread = models.map((model, i) => model.items - before[i]!);
    for (const share of spread) expect(share).toBeGreaterThanOrEqual(8);
  });
});
