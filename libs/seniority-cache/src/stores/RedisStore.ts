import { bucketsFor, DEFAULT_EXPECTED_PAIRS } from "./bucketsFor.js";
import { checkRedisLayout } from "./checkRedisLayout.js";
import { CompactLayout } from "./CompactLayout.js";
import { redactUrls } from "@seniority/telemetry";
import { createRedisClient, duplicateClient, type RedisClient } from "@seniority/redis";
import { KeysLayout } from "./KeysLayout.js";
import { ConnectionState } from "./ConnectionState.js";
import { LayoutMismatchError } from "./LayoutMismatchError.js";
import type { RedisLayout } from "./RedisLayout.js";
import { RedisCoordination } from "../replicas/RedisCoordination.js";
import { RedisKeys } from "./RedisKeys.js";
import { isRedisOom, StoreFullError } from "./StoreFullError.js";
import type { CoordinationOptions, ReplicaCoordination } from "../replicas/ReplicaCoordination.js";
import type { Store, StoreEntry } from "./Store.js";
import type { RedisStoreOptions } from "./RedisStoreOptions.js";
import type { EntriesOptions, EntryKeyForm, StoreEntrySource } from "./StoreEntrySource.js";
import { assertBatchSize, type StoreScan } from "./StoreScan.js";

export type { RedisStoreOptions } from "./RedisStoreOptions.js";

export const DEFAULT_KEY_PREFIX = "seniority:";

/**
 * The Redis store (standalone, TLS or Cluster; see createRedisClient for the failure behaviour).
 * `connected` tells whether commands can currently succeed, so the cache can report degraded status.
 *
 * Cluster: a namespace's pairs are spread over its partitions (hash tags in evenly spaced slots, see
 * partitionTags), so every master holds an equal share; a request is one script call per partition
 * touched, one pipeline per node, the nodes in parallel (routeCalls); see test/cluster*.test.ts.
 */
export class RedisStore implements Store, StoreScan, StoreEntrySource {
  readonly kind: string;
  private readonly keys: RedisKeys;
  private readonly layout: RedisLayout;
  private readonly coordinations = new Set<RedisCoordination>();
  private readonly state = new ConnectionState(() => this.connected);
  private closing: Promise<void> | undefined;
  // settled once the namespace's bucket and partition counts were checked (at start, first connect or use)
  private layoutCheck: Promise<void> | undefined;
  // set when the check failed after start: every command then fails (the cache runs degraded)
  private refused: Error | undefined;
  private outageLogged = false;

  constructor(
    private readonly client: RedisClient,
    private readonly options: RedisStoreOptions & { url?: string },
  ) {
    const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX, options.namespace);
    this.keys = keys;
    const layout = options.layout ?? "compact";
    if (layout === "compact" && options.ttlSeconds !== undefined) {
      throw new Error("a TTL needs the keys layout (compact hash fields cannot expire one by one)");
    }
    const expectedPairs = options.expectedPairs ?? DEFAULT_EXPECTED_PAIRS;
    this.layout =
      layout === "compact"
        ? new CompactLayout(keys, options.buckets ?? bucketsFor(expectedPairs))
        : new KeysLayout(keys, options.ttlSeconds);
    this.kind = `redis-${layout}`;
    client.on("ready", this.onReady);
    client.on("close", this.onClose);
    client.on("error", this.onError);
  }

  /** Connects to `url` (redis://, rediss://, redis-cluster://); does not wait for the connection. */
  static fromUrl(url: string, options: RedisStoreOptions): RedisStore {
    let client: RedisClient;
    try {
      client = createRedisClient(url, options);
    } catch (error) {
      throw new Error(`bad store "${redactUrls(url)}": ${(error as Error).message}`, { cause: error });
    }
    try {
      return new RedisStore(client, { ...options, url: redactUrls(url) });
    } catch (error) {
      client.disconnect(); // bad options: do not leave a client reconnecting in the background
      throw error;
    }
  }

  /** True while commands can be sent; false while (re)connecting or after close. */
  get connected(): boolean {
    return this.client.status === "ready";
  }

  /** Calls `listener` on every change of `connected`; returns the unsubscribe function. */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    return this.state.onChange(listener);
  }

  /** Resolves to `connected` once connected or after `timeoutMs`, whichever is first (never rejects). */
  waitUntilConnected(timeoutMs: number): Promise<boolean> {
    return this.state.waitUntilConnected(timeoutMs);
  }

  /**
   * Checks (once) the namespace's recorded bucket count (compact layout) and partition count against
   * this store's, takes the partition count, and warns about a poor spread or density (see
   * checkRedisLayout). Rejects with LayoutMismatchError (naming the setting) on a mismatch, with
   * Redis' error if the check could not run; call it once connected (openStore does; the first
   * command does if nobody did).
   */
  checkLayout(): Promise<void> {
    const layout = this.layout;
    this.layoutCheck ??= checkRedisLayout(this.client, this.keys, {
      buckets: layout instanceof CompactLayout ? layout.buckets : undefined,
      partitions: this.options.partitions,
      expectedPairs: this.options.expectedPairs ?? DEFAULT_EXPECTED_PAIRS,
      namespace: this.options.namespace,
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    }).catch((error: unknown) => {
      if (!(error instanceof LayoutMismatchError)) {
        this.layoutCheck = undefined; // Redis failed mid-check: check again on the next connect
      }
      throw error;
    });
    return this.layoutCheck;
  }

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    await this.ready();
    return this.layout.getMany(this.client, keys);
  }

  /** Rejects with StoreFullError when Redis refuses the write at maxmemory (noeviction). */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    await this.ready();
    try {
      await this.layout.setMany(this.client, entries);
    } catch (error) {
      if (!isRedisOom(error)) throw error;
      throw new StoreFullError(`${this.kind}: Redis is at maxmemory and refused the write`, { cause: error });
    }
  }

  async deleteMany(keys: readonly Buffer[]): Promise<number> {
    await this.ready();
    return this.layout.deleteMany(this.client, keys);
  }

  /** StoreEntrySource: compact gives stand-in keys of its bucket count, keys the pair keys. */
  get keyForm(): EntryKeyForm {
    return this.layout.keyForm;
  }

  entries(options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    this.assertOpen();
    return this.layout.entries(this.client, options);
  }

  /** StoreScan: SCAN in pages of about `batchSize` (see the layout's scanKeys); fails while disconnected. */
  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    assertBatchSize(batchSize);
    this.assertOpen();
    for await (const batch of this.layout.scanKeys(this.client, batchSize)) {
      yield batch;
      this.assertOpen();
    }
  }

  /** Claims, shared pacing and invalidation among this Redis' replicas (openStore's `coordination`). */
  openCoordination(options: CoordinationOptions): ReplicaCoordination {
    this.assertOpen();
    // Pacing's own connection (see RedisCoordination); its outages are the store's too: logged there.
    const pacing = duplicateClient(this.client, "seniority-cache-pacing").on("error", () => {});
    const ready = () => this.ready();
    const coordination = new RedisCoordination(this.client, this.keys, this.layout, options, ready, pacing);
    this.coordinations.add(coordination);
    return coordination;
  }

  /** Idempotent. QUIT lets replies in flight arrive; if Redis is down, the socket is just dropped. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.coordinations].map((coordination) => coordination.close()));
      try {
        if (this.connected) await this.client.quit();
      } catch {
        // Already gone: nothing was buffered (writes are awaited by their callers).
      } finally {
        this.client.disconnect();
        this.client.off("ready", this.onReady);
        this.client.off("close", this.onClose);
        this.state.clear();
        // Keep onError attached: a late socket error must not become an unhandled 'error' event.
      }
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error("store is closed");
    if (this.refused) throw this.refused;
  }

  /** Open, and the layout checked (pair keys cannot be named before the partition count is known). */
  private async ready(): Promise<void> {
    this.assertOpen();
    if (this.keys.partitions === undefined) await this.checkLayout();
  }

  private readonly onReady = (): void => {
    if (this.outageLogged)
      this.options.logger?.info({ store: this.kind, url: this.options.url }, "redis reconnected");
    this.outageLogged = false;
    // Not checked at start (Redis was down then): check now; a mismatch stops all use of the store.
    if (this.layoutCheck === undefined) {
      this.checkLayout().catch((error: unknown) => {
        if (!(error instanceof LayoutMismatchError)) return; // Redis failed mid-check: next connect
        this.refused = error;
        this.options.logger?.error({ err: error.message }, "redis store refused: bucket count mismatch");
      });
    }
    this.state.report(true);
  };

  private readonly onClose = (): void => this.state.report(false);

  // ioredis emits an error on every failed reconnect attempt; log the first of each outage only.
  private readonly onError = (error: Error): void => {
    if (this.outageLogged || this.closing) return;
    this.outageLogged = true;
    this.options.logger?.warn(
      { store: this.kind, url: this.options.url, err: error.message },
      "redis unavailable; reconnecting",
    );
  };
}
