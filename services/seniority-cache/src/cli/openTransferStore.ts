import { existsSync } from "node:fs";
import { join } from "node:path";
import { readRedisSecurity, redisSecurityFiles } from "@seniority/redis";
import {
  isEntrySource,
  openStore,
  RedisStore,
  type Store,
  type StoreEntrySource,
} from "@seniority/seniority-cache";
import type { TransferFlags } from "./transferOptions.js";

/** The store cannot be used as asked; the message names the flag. Exit 2. */
export class TransferUsageError extends Error {
  override readonly name = "TransferUsageError";
}

/** How long export/import wait for Redis before giving up, ms. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens `flags.store` on `namespace` for export (`mustExist`: an LMDB path must hold a database
 * already, so a typo is not a silent empty export) or import. Unlike the cache, which starts
 * degraded, an unreachable Redis is an error here: nothing would be listed or written.
 */
export async function openTransferStore(
  flags: TransferFlags,
  namespace: string,
  mustExist: boolean,
): Promise<Store & StoreEntrySource> {
  if (mustExist && flags.store.startsWith("lmdb:")) {
    const path = flags.store.slice("lmdb:".length);
    if (!existsSync(join(path, "data.mdb"))) {
      throw new TransferUsageError(`--store ${flags.store}: no LMDB database at ${path}`);
    }
  }
  let security;
  try {
    security = readRedisSecurity(redisSecurityFiles(flags), [flags.store]);
  } catch (error) {
    throw new TransferUsageError((error as Error).message);
  }
  const ttlSeconds = Math.ceil((flags.ttl ?? 0) / 1000);
  if (ttlSeconds > 0 && flags.redisLayout !== "keys") {
    throw new TransferUsageError(
      "--ttl needs --redis-layout keys (compact hash fields cannot expire one by one)",
    );
  }
  // Export and import only list and write answers: no replica coordination is opened.
  const { store } = await openStore(flags.store, {
    namespace,
    layout: flags.redisLayout,
    expectedPairs: flags.expectedPairs,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    security,
    ...(flags.redisBuckets !== undefined ? { buckets: flags.redisBuckets } : {}),
    ...(flags.redisKeyPrefix !== undefined ? { keyPrefix: flags.redisKeyPrefix } : {}),
    ...(ttlSeconds > 0 ? { ttlSeconds } : {}),
  });
  if (store instanceof RedisStore && !store.connected) {
    await store.close();
    throw new Error(`redis at --store is not reachable (waited ${CONNECT_TIMEOUT_MS} ms)`);
  }
  if (!isEntrySource(store)) {
    await store.close();
    throw new TransferUsageError(`--store: a ${store.kind} store cannot list its answers`);
  }
  return store;
}
