import { describe, expect, it } from "vitest";
import { useCoordinationReplicas } from "./support/useCoordinationReplicas.js";

// The invalidation broadcast (pub/sub) between replicas.
const replicas = useCoordinationReplicas();
const { replica, key } = replicas;

describe("invalidation broadcast", () => {
  it("reaches every replica listening, the sender included", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const heard: string[][] = [];
    const stop = b.coordination.onInvalidation((hexKeys) => heard.push(hexKeys));
    a.coordination.onInvalidation(() => {});
    const channel = `c${replicas.testId}:{v1:std}:invalidate`;
    for (let i = 0; i < 200 && (await listeners(channel)) !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await a.coordination.publishInvalidation([key(1), key(2)]);
    for (let i = 0; i < 200 && heard.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(heard).toEqual([[key(1).toString("hex"), key(2).toString("hex")]]);
    stop();
    await b.coordination.close();
    await b.coordination.close(); // idempotent
    for (let i = 0; i < 200 && (await listeners(channel)) !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await listeners(channel)).toBe(1);
  });
});

async function listeners(channel: string): Promise<number> {
  const [, count] = (await replicas.admin.pubsub("NUMSUB", channel)) as [string, number];
  return Number(count);
}
