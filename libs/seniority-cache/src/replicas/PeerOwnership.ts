import type { SeniorityPair } from "@seniority/seniority-model";

/**
 * Who owns a pair while claims are unusable (peer ownership): `ownerOf` gives the owner's address,
 * undefined for this replica; `forward` asks it (a failed forward is inferred here).
 */
export interface PeerOwners {
  /** `peersOnly`: the owner among the other replicas (for a pair another replica held a claim on). */
  ownerOf(key: Buffer, peersOnly: boolean): string | undefined;
  forward(address: string, pairs: readonly SeniorityPair[]): Promise<number[]>;
}
