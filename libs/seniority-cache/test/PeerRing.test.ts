import { pairKey } from "@seniority/pair-key";
import { describe, expect, it } from "vitest";
import { PeerRing } from "../src/replicas/PeerRing.js";

const keys = Array.from({ length: 3000 }, (_, i) => pairKey(`Company ${i % 17}`, `Title ${i}`, "standard"));
const replica = (n: number) => ({ id: `host-${n}:1:abcd`, address: `10.0.0.${n}:50052` });

describe("PeerRing", () => {
  it("gives every pair one owner, the same whatever the order replicas are listed in", () => {
    const ring = new PeerRing([replica(1), replica(2), replica(3)]);
    const reversed = new PeerRing([replica(3), replica(2), replica(1)]);
    expect(keys.map((key) => ring.ownerOf(key)!.id)).toEqual(keys.map((key) => reversed.ownerOf(key)!.id));
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(ring.ownerOf(key)!.id, (counts.get(ring.ownerOf(key)!.id) ?? 0) + 1);
    expect([...counts.values()].every((n) => n > 800 && n < 1200)).toBe(true); // ~1,000 each
  });

  it("a replica leaving moves only the pairs it owned", () => {
    const three = new PeerRing([replica(1), replica(2), replica(3)]);
    const two = new PeerRing([replica(1), replica(2)]);
    const moved = keys.filter((key) => three.ownerOf(key)!.id !== two.ownerOf(key)!.id);
    expect(moved.every((key) => three.ownerOf(key)!.id === replica(3).id)).toBe(true);
    expect(moved.length).toBe(keys.filter((key) => three.ownerOf(key)!.id === replica(3).id).length);
  });

  it("has no owner without candidates", () => {
    expect(new PeerRing([]).ownerOf(keys[0]!)).toBeUndefined();
  });
});
