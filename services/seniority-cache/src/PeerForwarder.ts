import { SeniorityModelDefinition, type SeniorityModelClient } from "@seniority/proto";
import { createChannel, createClient, Metadata, type Channel } from "nice-grpc";
import type { SeniorityPair } from "./SeniorityPair.js";
import { validateModelReply } from "./validateModelReply.js";

/**
 * Metadata on a request one replica forwards to the pair's owner: the owner infers the pairs itself
 * and never forwards them again (so two replicas with different views cannot bounce a pair).
 */
export const FORWARDED_METADATA_KEY = "x-seniority-forwarded";

/** Longest wait for a peer's answer before the pairs are inferred here instead, ms. */
const DEFAULT_FORWARD_TIMEOUT_MS = 10_000;

/**
 * Asks a peer replica for levels over the model's own contract (/SeniorityModel/InferSeniority),
 * one channel per peer address, kept until close(). The reply is checked like a model reply
 * (every uuid once, levels 1..7) before anything is used.
 */
export class PeerForwarder {
  private readonly peers = new Map<string, { channel: Channel; client: SeniorityModelClient }>();
  private closed = false;

  constructor(private readonly timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS) {}

  /** Levels for `pairs` from the replica at `address`, in order; rejects on any failure. */
  async forward(address: string, pairs: readonly SeniorityPair[]): Promise<number[]> {
    if (this.closed) throw new Error("the peer forwarder is closed");
    const reply = await this.peer(address).inferSeniority(
      { batch: pairs.map((pair, uuid) => ({ uuid, company: pair.company, title: pair.title })) },
      {
        metadata: Metadata({ [FORWARDED_METADATA_KEY]: "1" }),
        signal: AbortSignal.timeout(this.timeoutMs),
      },
    );
    return validateModelReply(pairs.length, reply);
  }

  /** Idempotent: closes every channel. */
  close(): void {
    this.closed = true;
    for (const { channel } of this.peers.values()) channel.close();
    this.peers.clear();
  }

  private peer(address: string): SeniorityModelClient {
    let peer = this.peers.get(address);
    if (!peer) {
      const channel = createChannel(address);
      peer = { channel, client: createClient(SeniorityModelDefinition, channel) };
      this.peers.set(address, peer);
    }
    return peer.client;
  }
}
