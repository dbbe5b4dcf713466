import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { systemClock, type Clock } from "@seniority/clock";
import { createRedisClient, type RedisSecurity } from "@seniority/redis";
import { redactUrls, type Logger } from "@seniority/telemetry";
import { ReplyError, type Redis } from "ioredis";
import type { FileLease, FileLeases } from "./FileLeases.js";
import { DEFAULT_LEASE_KEY_PREFIX, LeaseKeys } from "./LeaseKeys.js";
import { RedisFileLease } from "./RedisFileLease.js";

/** 30 s: a dead replica's file is taken over at most this long after its last renewal. */
export const DEFAULT_LEASE_TTL_MS = 30_000;
/** Renewals go every ttl / 3, so below this they would be too frequent and too tight. */
export const MIN_LEASE_TTL_MS = 300;

export interface RedisFileLeasesOptions {
  /** From leaseScope(input location, output location): replicas of one job share it. */
  scope: string;
  /** Default DEFAULT_LEASE_KEY_PREFIX ("seniority:augmenter:"). */
  keyPrefix?: string;
  /** Time to live of a lease, milliseconds; default 30_000, at least 300. */
  ttlMs?: number;
  /** Unique among replicas; default `<hostname>:<pid>:<8 random hex digits>`. */
  owner?: string;
  /** Paces renewals; default systemClock. */
  clock?: Clock;
  /** TLS material (rediss:// only) and the ACL password from a file; default: the URL's alone. */
  security?: RedisSecurity;
  logger?: Logger;
}

/** Client states in which a command cannot succeed now (it fails at once rather than waiting). */
const DOWN_STATES = new Set(["reconnecting", "close", "end"]);

/**
 * Leases in Redis (`redis://` or `rediss://`): `SET <key> <owner> NX PX <ttl>` takes one, a Lua
 * compare-and-PEXPIRE renews it every ttl / 3 and a compare-and-DEL releases it (leaseScripts.ts).
 *
 * Failure: while Redis is down, acquire() rejects at once (the file fails and is retried later;
 * nothing is processed without a lease) and held leases are lost a ttl after their last renewal.
 * A command sent while the connection is first being made waits for it; any command fails after
 * min(2 s, ttl / 3). ioredis reconnects in the background (100 ms, doubling, at most 1 s apart).
 */
export class RedisFileLeases implements FileLeases {
  /** The URL with any password hidden. */
  readonly location: string;
  readonly owner: string;
  readonly ttlMs: number;
  private readonly keys: LeaseKeys;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  // guarded by: one entry per file in progress (so at most the runner's concurrency); removed on release
  private readonly held = new Set<RedisFileLease>();
  private closing: Promise<void> | undefined;
  private closed = false;
  private outageLogged = false;

  private constructor(
    private readonly client: Redis,
    location: string,
    options: RedisFileLeasesOptions & { ttlMs: number },
  ) {
    this.location = location;
    this.ttlMs = options.ttlMs;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.keys = new LeaseKeys(options.keyPrefix ?? DEFAULT_LEASE_KEY_PREFIX, options.scope);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    client.on("error", (error: Error) => {
      if (this.outageLogged) return; // ioredis repeats it on every reconnect attempt
      this.outageLogged = true;
      this.logger?.warn({ leases: this.location, err: error }, "lease store unreachable (files wait for it)");
    });
    client.on("ready", () => {
      if (this.outageLogged) this.logger?.info({ leases: this.location }, "lease store reachable again");
      this.outageLogged = false;
    });
  }

  /** Connects to `url` in the background (acquire() waits for the first attempt). */
  static open(url: string, options: RedisFileLeasesOptions): RedisFileLeases {
    const location = RedisFileLeases.checkUrl(url);
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!Number.isInteger(ttlMs) || ttlMs < MIN_LEASE_TTL_MS)
      throw new Error(`lease ttl must be an integer of at least ${MIN_LEASE_TTL_MS} ms, got ${ttlMs}`);
    // The first connect may be waited for (offline queue); afterwards command() fails at once
    // while the connection is down. No socket timeout: a lease command is tiny.
    const client = createRedisClient(url, {
      connectionName: "seniority-augmenter-leases",
      commandTimeoutMs: Math.min(2000, Math.floor(ttlMs / 3)),
      socketTimeoutMs: 0,
      connectTimeoutMs: 2000,
      maxReconnectDelayMs: 1000,
      offlineQueue: true,
      ...(options.security ? { security: options.security } : {}),
    }) as Redis;
    return new RedisFileLeases(client, location, { ...options, ttlMs });
  }

  /** Throws unless `url` is redis:// or rediss://; returns it with any password hidden. */
  static checkUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`expected redis://host:port or rediss://host:port, got "${redactUrls(url)}".`);
    }
    if ((parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") || parsed.hostname === "")
      throw new Error(`expected redis://host:port or rediss://host:port, got "${redactUrls(url)}".`);
    return redactUrls(parsed.toString());
  }

  async acquire(key: string): Promise<FileLease | undefined> {
    if (this.closing) throw new Error("leases are closed");
    const redisKey = this.keys.lease(key);
    const acquiredAt = this.clock.now();
    const reply = await this.command(() => this.client.set(redisKey, this.owner, "PX", this.ttlMs, "NX"));
    if (reply !== "OK") return undefined;
    const lease: RedisFileLease = new RedisFileLease({
      key,
      redisKey,
      owner: this.owner,
      ttlMs: this.ttlMs,
      acquiredAt,
      run: (script, scriptKey, ...args) => this.command(() => script.run(this.client, [scriptKey], args)),
      clock: this.clock,
      ...(this.logger ? { logger: this.logger } : {}),
      onReleased: () => this.held.delete(lease),
    });
    this.held.add(lease);
    if (this.closing) {
      await lease.release(); // close() began while the SET was in flight
      throw new Error("leases are closed");
    }
    return lease;
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await Promise.all([...this.held].map((lease) => lease.release()));
      this.closed = true;
      this.client.disconnect();
    })());
  }

  /** One command, failing at once (with the store named) while Redis is known to be down. */
  private async command<T>(send: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error("leases are closed");
    if (DOWN_STATES.has(this.client.status))
      throw new Error(`lease store ${this.location} unreachable: connection ${this.client.status}`);
    try {
      return await send();
    } catch (error) {
      // A reply error is Redis refusing the command; anything else is the connection failing.
      const what = error instanceof ReplyError ? "refused the command" : "unreachable";
      throw new Error(`lease store ${this.location} ${what}: ${(error as Error).message}`, { cause: error });
    }
  }
}
