import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { CLAIM_SCRIPT, REFRESH_SCRIPT, RELEASE_SCRIPT } from "./claimScripts.js";
import { PACE_ANSWERED_SCRIPT, PACE_SCRIPT } from "./paceScript.js";
import { PRESENCE_SCRIPT } from "./presenceScript.js";
import { RedisInvalidationBus } from "./RedisInvalidationBus.js";
import type { RedisClient } from "@seniority/redis";
import type { RedisLayout } from "../stores/RedisLayout.js";
import type { RedisKeys } from "../stores/RedisKeys.js";
import { RedisScript, type ScriptCall } from "@seniority/redis";
import { callGroups, perNode, type CallGroup } from "../stores/routeCalls.js";
import { DEFAULT_PENDING_SEND_MS } from "./ReplicaCoordination.js";
import type {
  ClaimOutcome,
  CoordinationOptions,
  Heartbeat,
  PaceReserve,
  PaceSend,
  PeerState,
  ReplicaCoordination,
} from "./ReplicaCoordination.js";

const CLAIM = new RedisScript(CLAIM_SCRIPT);
const RELEASE = new RedisScript(RELEASE_SCRIPT);
const REFRESH = new RedisScript(REFRESH_SCRIPT);
const PACE = new RedisScript(PACE_SCRIPT);
const PACE_ANSWERED = new RedisScript(PACE_ANSWERED_SCRIPT);
const PRESENCE = new RedisScript(PRESENCE_SCRIPT);

/**
 * Pairs per script call. A call blocks Redis while it runs (~1 µs a key), so a 100,000-pair request
 * is sent as 20 calls written back to back: still one round trip, and other clients get turns. On a
 * cluster a call holds one partition's pairs (its claims share the answers' slot), one pipeline a node.
 */
const PAIRS_PER_CALL = 5000;

/**
 * ReplicaCoordination on the store's Redis connection (claims, presence, publishing), one
 * subscriber connection for invalidations and, when given, a connection of its own for pacing.
 * Key names come from RedisKeys; every script's KEYS, ARGV and reply are documented where it is
 * defined.
 *
 * Pacing has its own connection because a batch waits for its pace reply before it may leave:
 * on the store's connection that reply queues behind every lookup, claim and write pipelined
 * before it (replies come back in order), and the model idles meanwhile. While that connection is
 * not ready (starting, reconnecting), pacing uses the store's: nothing waits for it.
 */
export class RedisCoordination implements ReplicaCoordination {
  readonly replicaId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly bus: RedisInvalidationBus;
  private sends = 0;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly layout: RedisLayout,
    private readonly options: CoordinationOptions,
    /** Resolves once the store's layout is checked (pair keys need the partition count). */
    private readonly ready: () => Promise<void> = () => Promise.resolve(),
    /** Pacing's own connection to the same Redis (closed with this); default: `client`. */
    private readonly paceClient: RedisClient = client,
  ) {
    if (!Number.isInteger(options.claimTtlMs) || options.claimTtlMs < 1) {
      throw new RangeError(`claimTtlMs must be a positive integer, got ${options.claimTtlMs}`);
    }
    this.bus = new RedisInvalidationBus(client, keys.invalidateChannel(), options.logger);
  }

  get connected(): boolean {
    return this.client.status === "ready";
  }

  async claim(keys: readonly Buffer[]): Promise<ClaimOutcome[]> {
    const replies = await this.perPartition(
      keys,
      (group) => {
        const names: (string | Buffer)[] = [];
        const fields: (Buffer | string)[] = [];
        for (const i of group.positions) {
          const answer = this.layout.answerLocation(keys[i]!);
          names.push(this.keys.claimKey(keys[i]!, answer.partition), answer.key);
          fields.push(answer.field);
        }
        return { keys: names, args: [this.replicaId, this.options.claimTtlMs, ...fields] };
      },
      CLAIM,
    );
    const outcomes = new Array<ClaimOutcome>(keys.length);
    replies.forEach(({ group, reply }) => {
      if (!Array.isArray(reply) || reply.length !== group.positions.length) {
        throw new Error(
          `claim script: expected ${group.positions.length} replies, got ${JSON.stringify(reply)}`,
        );
      }
      group.positions.forEach((position, i) => {
        const value = Number(reply[i]);
        outcomes[position] = value === 0 ? "won" : value === -1 ? "lost" : value;
      });
    });
    return outcomes;
  }

  async release(keys: readonly Buffer[]): Promise<number> {
    const replies = await this.perPartition(
      keys,
      (group) => ({ keys: this.claimKeys(keys, group), args: [this.replicaId] }),
      RELEASE,
    );
    return replies.reduce<number>((sum, { reply }) => sum + Number(reply), 0);
  }

  async refresh(keys: readonly Buffer[]): Promise<number> {
    const replies = await this.perPartition(
      keys,
      (group) => ({ keys: this.claimKeys(keys, group), args: [this.replicaId, this.options.claimTtlMs] }),
      REFRESH,
    );
    return replies.reduce<number>((sum, { reply }) => sum + Number(reply), 0);
  }

  async pace(
    items: number,
    capacity: number,
    windowMs: number,
    leadMs = 0,
    reserve?: PaceReserve,
    send: PaceSend = {},
  ): Promise<number> {
    const sendId = send.id ?? this.nextSendId();
    const pendingMs = send.pendingMs ?? DEFAULT_PENDING_SEND_MS;
    const args: (string | number)[] = [items, capacity, windowMs, this.now(), sendId, leadMs, pendingMs];
    const keys = [this.keys.paceKey()];
    if (reserve) {
      keys.push(this.keys.replicasKey());
      args.push(this.replicaId, reserve.staleMs, reserve.share);
    }
    return Number(await PACE.run(this.pacing(), keys, args));
  }

  async paceAnswered(sendId: string, capacity: number, windowMs: number): Promise<void> {
    const args = [sendId, capacity, windowMs, this.now()];
    await PACE_ANSWERED.run(this.pacing(), [this.keys.paceKey()], args);
  }

  /** A send id unique among the replicas: this replica's id and a sequence number. */
  nextSendId(): string {
    return `${this.replicaId}:${++this.sends}`;
  }

  async heartbeat(beat: Heartbeat): Promise<PeerState[]> {
    const restore = beat.restore ?? [];
    const sends = beat.sends ?? [];
    const args: (string | number)[] = [
      this.replicaId,
      beat.expiryMs,
      this.now(),
      beat.synced ? "1" : "0",
      beat.staleMs,
      beat.windowMs,
      beat.address ?? "",
      restore.length,
      ...restore,
      sends.length,
    ];
    for (const send of sends) {
      const scoreAge = send.arrivedAgeMs ?? send.sentAgeMs - send.pendingMs;
      args.push(send.arrivedAgeMs === undefined ? "p" : "a", send.id, send.sentAgeMs, scoreAge, send.items);
    }
    args.push(beat.sentAt ?? "", beat.lateMs ?? 0);
    const keys = [
      this.keys.replicasKey(),
      this.keys.replicasSyncedKey(),
      this.keys.paceKey(),
      this.keys.replicasAddressKey(),
      this.keys.replicasLagKey(),
    ];
    const reply = await PRESENCE.run(this.client, keys, args);
    if (!Array.isArray(reply) || reply.length % 4 !== 0) {
      throw new Error(`presence script: unexpected reply ${JSON.stringify(reply)}`);
    }
    const peers: PeerState[] = [];
    for (let i = 0; i < reply.length; i += 4) {
      const address = String(reply[i + 3]);
      peers.push({
        id: String(reply[i]),
        ageMs: Number(reply[i + 1]),
        synced: String(reply[i + 2]) === "1",
        ...(address ? { address } : {}),
      });
    }
    return peers;
  }

  publishInvalidation(keys: readonly Buffer[]): Promise<void> {
    return this.bus.publish(keys);
  }

  onInvalidation(listener: (hexKeys: string[]) => void): () => void {
    return this.bus.listen(listener);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.bus.close();
      if (this.paceClient !== this.client) this.paceClient.disconnect();
    })();
    return this.closed;
  }

  /** The pacing connection while it is ready, else the store's. */
  private pacing(): RedisClient {
    return this.paceClient.status === "ready" ? this.paceClient : this.client;
  }

  /** Now on the pacing clock, or "" for Redis TIME. */
  private now(): string {
    return this.options.paceClock ? String(this.options.paceClock.now()) : "";
  }

  private claimKeys(keys: readonly Buffer[], group: CallGroup): string[] {
    return group.positions.map((i) => this.keys.claimKey(keys[i]!, this.layout.partitionOf(keys[i]!)));
  }

  /**
   * Runs `script` once per group of at most PAIRS_PER_CALL keys (one partition's on a cluster), one
   * pipeline per node: one round trip. Resolves to each group with its reply.
   */
  private async perPartition(
    keys: readonly Buffer[],
    call: (group: CallGroup) => ScriptCall,
    script: RedisScript,
  ): Promise<{ group: CallGroup; reply: unknown }[]> {
    if (keys.length === 0) return [];
    await this.ready();
    const groups = callGroups(
      this.client,
      keys.length,
      (i) => this.layout.partitionOf(keys[i]!),
      PAIRS_PER_CALL,
    );
    const replies = await perNode(
      this.client,
      groups,
      (p) => this.keys.slotOf(p),
      (nodeGroups) => script.runMany(this.client, nodeGroups.map(call)),
    );
    return groups.map((group, i) => ({ group, reply: replies[i] }));
  }
}
