import type { ClientTlsOptions } from "@seniority/proto";
import { SeniorityClient, type SeniorityPair } from "@seniority/seniority-model";

/**
 * Metadata on a request one replica forwards to the pair's owner: the owner infers the pairs itself
 * and never forwards them again (so two replicas with different views cannot bounce a pair).
 */
export const FORWARDED_METADATA_KEY = "x-seniority-forwarded";

/** Longest wait for a peer's answer before the pairs are inferred here instead, ms. */
const DEFAULT_FORWARD_TIMEOUT_MS = 10_000;

/**
 * Asks a peer replica for levels over the model's own contract (/SeniorityModel/InferSeniority)
 * with the one gRPC client, one per peer address, kept until close(), over TLS when `tls` is given
 * (the peers' CA; this replica's client certificate where peers serve mTLS). No retries: on any
 * failure the caller infers the pairs itself. The reply is validated like a model reply.
 */
export class PeerForwarder {
  private readonly peers = new Map<string, SeniorityClient>();
  private closed = false;

  constructor(
    private readonly timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS,
    private readonly tls?: ClientTlsOptions,
  ) {}

  /** Levels for `pairs` from the replica at `address`, in order; rejects on any failure. */
  async forward(address: string, pairs: readonly SeniorityPair[]): Promise<number[]> {
    if (this.closed) throw new Error("the peer forwarder is closed");
    return this.peer(address).resolve(pairs);
  }

  /** Idempotent: closes every client. */
  close(): void {
    this.closed = true;
    for (const client of this.peers.values()) void client.close();
    this.peers.clear();
  }

  private peer(address: string): SeniorityClient {
    let peer = this.peers.get(address);
    if (!peer) {
      peer = new SeniorityClient({
        address,
        flag: "--peer",
        ...(this.tls ? { tls: this.tls } : {}),
        metadata: { [FORWARDED_METADATA_KEY]: "1" },
        concurrency: Infinity,
        maxBatchBytes: Infinity,
        deadlineMs: this.timeoutMs,
        retries: 0,
      });
      this.peers.set(address, peer);
    }
    return peer;
  }
}
