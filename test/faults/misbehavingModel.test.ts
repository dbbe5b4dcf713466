import { ClientError, Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { answerAll, FakeModel, type FakeReply } from "../../libs/seniority-cache/test/support/FakeModel.js";
import { redisPairs } from "../../libs/seniority-cache/test/support/redisPairs.js";
import { startProxy } from "../../services/seniority-cache/test/support/startStack.js";
import { useRedis, useStarted } from "@seniority/testkit";

// Issue 9 fault suite, regression probes (they passed on the code of the issue and must keep
// passing): a model that breaks the contract, in front of a real proxy on a real Redis. Every bad
// reply is refused, the callers get a clear status, nothing is cached, and once the model mends
// the same pairs get correct levels. The scripted model is FakeModel (a real gRPC server):
// model-sim cannot be made to misbehave like this. proxy.badModel.test.ts covers a wrong uuid and
// level 9; these are the other shapes.

const batch = [
  { uuid: 40, company: "Acme", title: "CEO" },
  { uuid: 41, company: "Acme", title: "Intern" },
];
const TIMEOUT_MS = 300; // the proxy's per-attempt model deadline here (production: 10 s)

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "no error";
  } catch (error) {
    if (error instanceof ClientError) return `${Status[error.code]}: ${error.details}`;
    throw error;
  }
}

const reply =
  (items: { uuid: number; seniority: number }[], delayMs = 0): FakeReply =>
  () =>
    new Promise((resolve) => setTimeout(() => resolve({ batch: items }), delayMs));

const invalid = (reason: string) =>
  `UNAVAILABLE: the seniority model is unavailable: invalid reply (${reason}); nothing was cached`;

describe("a misbehaving model in front of a real proxy", () => {
  const redis = useRedis();
  const model = useStarted("the fake model", () => FakeModel.start());

  const cases: [string, FakeReply, string][] = [
    ["a missing uuid", reply([{ uuid: 2, seniority: 2 }]), invalid("uuid 1 was not answered")],
    [
      "an extra uuid",
      reply([
        { uuid: 1, seniority: 2 },
        { uuid: 2, seniority: 2 },
        { uuid: 3, seniority: 2 },
      ]),
      invalid("uuid 3 was not in the batch of 2"),
    ],
    [
      "a uuid answered twice",
      reply([
        { uuid: 1, seniority: 2 },
        { uuid: 1, seniority: 2 },
        { uuid: 2, seniority: 2 },
      ]),
      invalid("uuid 1 was answered twice"),
    ],
    [
      "a negative uuid",
      reply([
        { uuid: -1, seniority: 2 },
        { uuid: 2, seniority: 2 },
      ]),
      invalid("uuid -1 was not in the batch of 2"),
    ],
    [
      "a uuid left at proto3's default 0",
      reply([
        { uuid: 0, seniority: 2 },
        { uuid: 2, seniority: 2 },
      ]),
      invalid("uuid 0 was not in the batch of 2"),
    ],
    [
      "level 0",
      reply([
        { uuid: 1, seniority: 0 },
        { uuid: 2, seniority: 2 },
      ]),
      invalid("level 0 for uuid 1 is outside 1..7"),
    ],
    [
      "level 8",
      reply([
        { uuid: 1, seniority: 2 },
        { uuid: 2, seniority: 8 },
      ]),
      invalid("level 8 for uuid 2 is outside 1..7"),
    ],
    ["an empty reply", reply([]), invalid("uuid 1 was not answered")],
    [
      "a hang (no reply within the deadline)",
      () => new Promise(() => {}),
      "UNAVAILABLE: the seniority model is unavailable: DEADLINE_EXCEEDED from the model",
    ],
    [
      "a reply slower than the deadline",
      reply(
        [
          { uuid: 1, seniority: 2 },
          { uuid: 2, seniority: 2 },
        ],
        TIMEOUT_MS + 200,
      ),
      "UNAVAILABLE: the seniority model is unavailable: DEADLINE_EXCEEDED from the model",
    ],
  ];

  it.each(cases)("%s → a clear status, nothing cached, correct once mended", async (name, bad, expected) => {
    const prefix = `misbehaving:${name}:`;
    const open = () =>
      startProxy({
        store: redis.url,
        redisKeyPrefix: prefix,
        model: model().address,
        modelClient: { timeoutMs: TIMEOUT_MS, retries: 0 },
      });
    const proxy = await open();
    model().reply = bad;
    model().requests.length = 0;
    expect(await outcome(proxy.client.inferSeniority({ batch }))).toBe(expected);
    expect(model().requests).toHaveLength(1);
    // A late reply (if any) lands after the caller was answered: still nothing may be cached.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS + 300));
    expect(await proxy.cache.lookupCached(batch)).toEqual([
      { level: undefined, tier: undefined },
      { level: undefined, tier: undefined },
    ]);
    await proxy.close();
    expect(await redisPairs(redis.url, prefix)).toBe(0);

    model().reply = answerAll;
    const mended = await open();
    expect((await mended.client.inferSeniority({ batch })).batch).toEqual([
      { uuid: 40, seniority: 3 },
      { uuid: 41, seniority: 3 },
    ]);
    await mended.close();
    expect(await redisPairs(redis.url, prefix)).toBe(2);
  });

  it("a slow reply within the deadline is answered and cached", async () => {
    const prefix = "misbehaving:slow-ok:";
    const proxy = await startProxy({
      store: redis.url,
      redisKeyPrefix: prefix,
      model: model().address,
      modelClient: { timeoutMs: 2_000, retries: 0 },
    });
    model().reply = reply(
      [
        { uuid: 2, seniority: 5 },
        { uuid: 1, seniority: 6 },
      ],
      400,
    );
    expect((await proxy.client.inferSeniority({ batch })).batch).toEqual([
      { uuid: 40, seniority: 6 },
      { uuid: 41, seniority: 5 },
    ]);
    await proxy.close();
    expect(await redisPairs(redis.url, prefix)).toBe(2);
  });
});
