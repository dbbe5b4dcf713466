import { describe, expect, it } from "vitest";
import { useCoordinationReplicas } from "./support/useCoordinationReplicas.js";

// Claims: one replica wins a pair, the others lose it until it is answered, released or expired.
const replicas = useCoordinationReplicas();
const { replica, key } = replicas;

describe.each(["compact", "keys"] as const)("claims (%s layout)", (layout) => {
  it("one replica wins a pair, the other loses it until it is answered or released", async () => {
    const [a, b] = await Promise.all([replica(layout), replica(layout)]);
    expect(await a.coordination.claim([key(1), key(2)])).toEqual(["won", "won"]);
    expect(await b.coordination.claim([key(1), key(2), key(3)])).toEqual(["lost", "lost", "won"]);
    expect(await a.coordination.claim([key(1)])).toEqual(["won"]); // still its own
    expect(await replicas.admin.get(`c${replicas.testId}:{v1:std}:claim:${key(1).toString("hex")}`)).toBe(
      a.coordination.replicaId,
    );

    await a.store.setMany([{ key: key(1), level: 6 }]);
    expect(await b.coordination.claim([key(1)])).toEqual([6]); // answered beats claimed
    expect(await b.coordination.release([key(1), key(2), key(3)])).toBe(1); // only its own: key 3
    expect(await a.coordination.release([key(1), key(2)])).toBe(2);
    expect(await b.coordination.claim([key(2)])).toEqual(["won"]);
  });
});

describe("claim expiry", () => {
  it("claims live claimTtlMs; refresh extends only this replica's", async () => {
    const [a, b] = await Promise.all([replica("compact", { claimTtlMs: 5000 }), replica()]);
    await a.coordination.claim([key(1)]);
    const name = `c${replicas.testId}:{v1:std}:claim:${key(1).toString("hex")}`;
    const ttl = await replicas.admin.pttl(name);
    expect(ttl).toBeGreaterThan(4900);
    expect(ttl).toBeLessThanOrEqual(5000);
    await replicas.admin.pexpire(name, 100);
    expect(await b.coordination.refresh([key(1)])).toBe(0);
    expect(await replicas.admin.pttl(name)).toBeLessThanOrEqual(100);
    expect(await a.coordination.refresh([key(1), key(2)])).toBe(1);
    expect(await replicas.admin.pttl(name)).toBeGreaterThan(4900);
    await replicas.admin.del(name); // as if expired: the pair is free again
    expect(await b.coordination.claim([key(1)])).toEqual(["won"]);
  });

  it("claims 6,000 pairs in one call (script calls of 5,000 written at once), outcomes in order", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const keys = Array.from({ length: 6000 }, (_, i) => key(i));
    expect(new Set(await a.coordination.claim(keys.slice(0, 5500)))).toEqual(new Set(["won"]));
    const second = await b.coordination.claim(keys);
    expect(second.slice(0, 5500).every((outcome) => outcome === "lost")).toBe(true);
    expect(second.slice(5500).every((outcome) => outcome === "won")).toBe(true);
    expect(await a.coordination.release(keys)).toBe(5500);
  });
});
