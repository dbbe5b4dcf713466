import type { PeerOwners } from "./PeerOwnership.js";
import type { PeerForwarder } from "./PeerForwarder.js";
import { PeerRing } from "./PeerRing.js";
import type { ReplicaPresence } from "./ReplicaPresence.js";

/**
 * Peer ownership over the replicas `presence` knows with an address (this one is `self`): a key's
 * owner by rendezvous hashing, undefined when it is this replica; the ring is rebuilt when the
 * known replicas change (a peer keeps its last address while it is known). Misses another replica
 * owns are forwarded to it.
 */
export function peerOwners(
  self: { id: string; address: string },
  presence: ReplicaPresence,
  forwarder: PeerForwarder,
): PeerOwners {
  let ring = new PeerRing([self]);
  let peersRing = new PeerRing([]);
  let seen: readonly unknown[] | undefined;
  const addresses = new Map<string, string>();
  return {
    ownerOf: (key, peersOnly) => {
      const known = presence.known;
      if (known !== seen) {
        seen = known;
        // A peer put back after a Redis restart comes without its address: keep the one it had.
        for (const peer of known) if (peer.address) addresses.set(peer.id, peer.address);
        for (const id of addresses.keys()) if (!known.some((peer) => peer.id === id)) addresses.delete(id);
        const peers = known.flatMap((peer) => {
          const address = addresses.get(peer.id);
          return address ? [{ id: peer.id, address }] : [];
        });
        ring = new PeerRing([self, ...peers]);
        peersRing = new PeerRing(peers);
      }
      const owner = (peersOnly ? peersRing : ring).ownerOf(key);
      return owner === undefined || owner.id === self.id ? undefined : owner.address;
    },
    forward: (owner, pairs) => forwarder.forward(owner, pairs),
  };
}
