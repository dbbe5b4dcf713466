import { ClientError, Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { useRedis, useStarted } from "@seniority/testkit";
import { answerAll, FakeModel } from "../../../libs/seniority-cache/test/support/FakeModel.js";
import { redisPairs } from "../../../libs/seniority-cache/test/support/redisPairs.js";
import { startProxy } from "./support/startStack.js";

const batch = [
  { uuid: 40, company: "Acme", title: "CEO" },
  { uuid: 41, company: "Acme", title: "Intern" },
];

async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientError) return `${Status[error.code]}: ${error.details}`;
    throw error;
  }
  return "no error";
}

describe("proxy in front of a model that breaks the contract", () => {
  const redis = useRedis();
  const model = useStarted("the fake model", () => FakeModel.start());

  it.each([
    [
      "a wrong uuid",
      [
        { uuid: 1, seniority: 2 },
        { uuid: 5, seniority: 2 },
      ],
      "uuid 5 was not in the batch of 2",
    ],
    [
      "level 9",
      [
        { uuid: 1, seniority: 9 },
        { uuid: 2, seniority: 2 },
      ],
      "level 9 for uuid 1 is outside 1..7",
    ],
  ])("%s → UNAVAILABLE for the callers, nothing cached anywhere", async (name, reply, reason) => {
    const prefix = `bad:${name}:`;
    const proxy = await startProxy({ store: redis.url, redisKeyPrefix: prefix, model: model().address });
    model().reply = () => ({ batch: reply });
    model().requests.length = 0;
    expect(await failure(proxy.client.inferSeniority({ batch }))).toBe(
      `UNAVAILABLE: the seniority model is unavailable: invalid reply (${reason}); nothing was cached`,
    );
    expect(model().requests.map((r) => r.batch)).toEqual([
      [
        { uuid: 1, company: "Acme", title: "CEO" },
        { uuid: 2, company: "Acme", title: "Intern" },
      ],
    ]);
    expect(await proxy.cache.lookupCached(batch)).toEqual([
      { level: undefined, tier: undefined },
      { level: undefined, tier: undefined },
    ]);
    await proxy.cache.close();
    expect(await redisPairs(redis.url, prefix)).toBe(0);
    await proxy.close();

    // The model mends: the same pairs are asked again and cached.
    model().reply = answerAll;
    const mended = await startProxy({ store: redis.url, redisKeyPrefix: prefix, model: model().address });
    expect((await mended.client.inferSeniority({ batch })).batch).toEqual([
      { uuid: 40, seniority: 3 },
      { uuid: 41, seniority: 3 },
    ]);
    await mended.close();
    expect(await redisPairs(redis.url, prefix)).toBe(2);
  });
});
