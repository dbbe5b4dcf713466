import type { CoordinationFactory } from "../replicas/ReplicaCoordination.js";
import type { Store } from "./Store.js";

/**
 * What openStore() gives: the storage port, and — only for a backend that several cache replicas
 * share (Redis) — the factory of their coordination (claims, shared pacing, invalidation
 * broadcast). Kept apart so that a wrapper of the store (a Bloom filter, a counter) never has to
 * forward coordination: wrap `store`, pass `coordination` on as it is.
 */
export interface OpenedStore {
  readonly store: Store;
  /** Redis specs only; undefined for memory and LMDB. */
  readonly coordination?: CoordinationFactory;
}
