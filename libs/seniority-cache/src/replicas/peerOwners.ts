import type { PeerOwners } from "./PeerOwnership.js";
import type { PeerForwarder } from "./PeerForwarder.js";
import { PeerRing } from "./PeerRing.js";
import type { ReplicaPresence } from "./ReplicaPresence.js";

/**
 * Peer ownership over the replicas `presence` knows with an address (this one is `self`): a key's
 * owner by rendezvous hashing, undefined when it is this replica; the ring is rebuilt when the
 * known replicas change. Misses another replica owns are forwarded to it.
 */
export function peerOwners(
  self: { id: string; address: string },
  presence: ReplicaPresence,
  forwarder: PeerForwarder,
): PeerOwners {
  let ring = new PeerRing([self]);
  let seen: readonly unknown[] | undefined;
  return {
    ownerOf: (key) => {
      const known = presence.known;
      if (known !== seen) {
        seen = known;
        const peers = known.flatMap((peer) => (peer.address ? [{ id: peer.id, address: peer.address }] : []));
        ring = new PeerRing([self, ...peers]);
      }
      const owner = ring.ownerOf(key)!;
      return owner.id === self.id ? undefined : owner.address;
    },
    forward: (owner, pairs) => forwarder.forward(owner, pairs),
  };
}
