import type { Logger } from "@seniority/telemetry";
import { duplicateClient, type RedisClient } from "@seniority/redis";

/** Keys per published message (~33 bytes each: a 330 KB message at most). */
const KEYS_PER_MESSAGE = 10_000;
const HEX_KEY = /^[0-9a-f]{32}$/;

/**
 * Invalidation broadcast over Redis pub/sub: a message is the hex pair keys separated by
 * spaces. Listening takes a connection of its own (a subscribed connection can do nothing else),
 * duplicated from the store's client, so it reconnects with the same backoff; it subscribes again
 * on every (re)connection. Messages published while this replica is disconnected are not seen:
 * pub/sub keeps nothing (see the README).
 */
export class RedisInvalidationBus {
  private readonly listeners = new Set<(hexKeys: string[]) => void>();
  private subscriber: RedisClient | undefined;
  private outageLogged = false;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly channel: string,
    private readonly logger: Logger | undefined,
  ) {}

  async publish(keys: readonly Buffer[]): Promise<void> {
    const messages: Promise<unknown>[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_MESSAGE) {
      const hex = keys.slice(i, i + KEYS_PER_MESSAGE).map((key) => key.toString("hex"));
      messages.push(this.client.publish(this.channel, hex.join(" ")));
    }
    await Promise.all(messages);
  }

  /** Starts listening on first use; returns the unsubscribe function. */
  listen(listener: (hexKeys: string[]) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber && !this.closed) this.subscriber = this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Idempotent: says goodbye on the subscriber connection (QUIT), or just drops it when Redis is down. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    try {
      if (subscriber?.status === "ready") await subscriber.quit();
    } catch {
      // Already gone.
    } finally {
      subscriber?.disconnect();
    }
  }

  private connect(): RedisClient {
    const subscriber = duplicateClient(this.client, "seniority-cache-invalidations");
    subscriber.on("ready", () => {
      subscriber.subscribe(this.channel).then(
        () => {
          if (this.outageLogged) this.logger?.info("invalidation channel subscribed again");
          this.outageLogged = false;
        },
        (error: unknown) => this.onError(error as Error),
      );
    });
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const hexKeys = message.split(" ").filter((hex) => HEX_KEY.test(hex));
      for (const listener of this.listeners) listener(hexKeys);
    });
    subscriber.on("error", (error: Error) => this.onError(error));
    return subscriber;
  }

  // ioredis emits an error on every failed reconnect attempt; log the first of each outage only.
  private onError(error: Error): void {
    if (this.outageLogged || this.closed) return;
    this.outageLogged = true;
    this.logger?.warn(
      { err: error.message, channel: this.channel },
      "invalidation channel unavailable; reconnecting (invalidations sent meanwhile are missed)",
    );
  }
}
