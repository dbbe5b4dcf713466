import { createHash } from "node:crypto";

/** A replica that can own pairs: its id and where peers reach it over gRPC. */
export interface PeerCandidate {
  readonly id: string;
  readonly address: string;
}

/**
 * Which replica owns a pair while claims are unusable: rendezvous (highest random weight) hashing
 * of the pair key over the replicas known to have an address. Every replica with the same view
 * picks the same owner, and a replica joining or leaving moves only the pairs it owns (1/n).
 * The pair key is already a uniform 128-bit hash, so each score mixes two of its words with the
 * candidate's own hash (no hashing per pair).
 */
export class PeerRing {
  private readonly candidates: { candidate: PeerCandidate; seed: number }[];

  constructor(candidates: readonly PeerCandidate[]) {
    this.candidates = candidates.map((candidate) => ({
      candidate,
      seed: createHash("sha1").update(candidate.id).digest().readUInt32BE(0),
    }));
  }

  get size(): number {
    return this.candidates.length;
  }

  /** The owner of `key` (a 16-byte pair key); undefined when there is no candidate. */
  ownerOf(key: Buffer): PeerCandidate | undefined {
    const k0 = key.readUInt32BE(0);
    const k1 = key.readUInt32BE(4);
    let best: PeerCandidate | undefined;
    let bestScore = -1;
    for (const { candidate, seed } of this.candidates) {
      let h = Math.imul(seed ^ k0, 0x9e3779b1);
      h ^= h >>> 15;
      h = Math.imul(h ^ k1, 0x85ebca6b);
      h ^= h >>> 13;
      const score = h >>> 0;
      if (score > bestScore || (score === bestScore && best && candidate.id < best.id)) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }
}
