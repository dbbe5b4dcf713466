import { pairKey } from "@seniority/pair-key";
import { describe, expect, it } from "vitest";
import { peerOwners } from "../src/replicas/peerOwners.js";
import type { PeerForwarder } from "../src/replicas/PeerForwarder.js";
import type { ReplicaPresence } from "../src/replicas/ReplicaPresence.js";
import type { PeerState } from "../src/replicas/ReplicaCoordination.js";

const keys = Array.from({ length: 600 }, (_, i) => pairKey(`Company ${i % 7}`, `Title ${i}`, "standard"));
const self = { id: "a", address: "10.0.0.1:50051" };
const peer = (id: string, address?: string): PeerState => ({
  id,
  ageMs: 0,
  synced: true,
  ...(address ? { address } : {}),
});

function owners(known: PeerState[][]) {
  const presence = { known: known[0]! };
  const owned = peerOwners(self, presence as unknown as ReplicaPresence, {} as PeerForwarder);
  return {
    next: (i: number) => (presence.known = known[i]!),
    owners: (peersOnly = false) => new Set(keys.map((key) => owned.ownerOf(key, peersOnly) ?? "self")),
  };
}

describe("peerOwners", () => {
  it("spreads pairs over this replica and every peer with an address; peersOnly leaves this one out", () => {
    const view = owners([[peer("b", "10.0.0.2:50051"), peer("c", "10.0.0.3:50051"), peer("d")]]);
    expect(view.owners()).toEqual(new Set(["self", "10.0.0.2:50051", "10.0.0.3:50051"]));
    expect(view.owners(true)).toEqual(new Set(["10.0.0.2:50051", "10.0.0.3:50051"]));
  });

  it("a peer put back without its address (a Redis restart lost it) keeps the one it had while it is known", () => {
    const view = owners([[peer("b", "10.0.0.2:50051")], [peer("b")], []]);
    const before = view.owners();
    view.next(1);
    expect(view.owners()).toEqual(before); // not all pairs on this replica: B still owns its share
    expect(before.has("10.0.0.2:50051")).toBe(true);
    view.next(2);
    expect(view.owners()).toEqual(new Set(["self"])); // B forgotten: its address too
  });
});
