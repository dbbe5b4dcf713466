import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pairKey } from "@seniority/pair-key";
import { GrpcLoadClient, encodeRequest } from "./GrpcLoadClient.js";
import type { Pair } from "../core/syntheticPairs.js";

const BATCH = 1000;

/** Every (company, title) of a file in line order; lines without both strings are skipped. */
export async function* filePairs(path: string): AsyncGenerator<Pair> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const { company, title } = (value ?? {}) as { company?: unknown; title?: unknown };
    if (typeof company === "string" && typeof title === "string") yield { company, title };
  }
}

/** The cache's notion of "the same pair" (standard normalization), as a Map key. */
export function pairIdentity(pair: Pair): string {
  return pairKey(pair.company, pair.title, "standard").toString("latin1");
}

/**
 * Sends batches of up to 1000 items to the model at `address`, `inFlight` at once; resolves when
 * every batch is answered (each answer checked). Returns the items sent.
 */
export class BatchSender {
  private readonly client: GrpcLoadClient;
  private pending: Pair[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private failure: unknown;
  sent = 0;

  constructor(
    address: string,
    private readonly inFlight = 4,
  ) {
    this.client = new GrpcLoadClient(address);
  }

  async add(pair: Pair): Promise<void> {
    this.pending.push(pair);
    if (this.pending.length >= BATCH) await this.flush();
  }

  /** Sends what is pending (a partial batch too). */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    while (this.running.size >= this.inFlight) await Promise.race(this.running);
    const call = this.client.call(encodeRequest(batch), 120_000).then(
      (n) => void (this.sent += n),
      (error: unknown) => void (this.failure ??= error),
    );
    this.running.add(call);
    void call.finally(() => this.running.delete(call));
  }

  /** Flushes and waits for every batch; throws the first failure. */
  async drain(): Promise<number> {
    await this.flush();
    await Promise.all(this.running);
    if (this.failure) throw this.failure;
    return this.sent;
  }

  close(): void {
    this.client.close();
  }
}

/** (a) naive: every line's pair goes to the model, in line order, in batches of 1000. */
export async function sendNaive(dir: string, files: readonly string[], address: string): Promise<number> {
  const sender = new BatchSender(address);
  try {
    for (const file of files) for await (const pair of filePairs(join(dir, file))) await sender.add(pair);
    return await sender.drain();
  } finally {
    sender.close();
  }
}

/**
 * (b) per-file dedup: each file's distinct pairs (by the cache's normalized identity) go to the
 * model once per file, nothing kept between files. A file's last batch may be partial.
 */
export async function sendPerFileDedup(
  dir: string,
  files: readonly string[],
  address: string,
): Promise<number> {
  const sender = new BatchSender(address);
  try {
    for (const file of files) {
      const seen = new Set<string>();
      for await (const pair of filePairs(join(dir, file))) {
        const id = pairIdentity(pair);
        if (seen.has(id)) continue;
        seen.add(id);
        await sender.add(pair);
      }
      await sender.flush();
    }
    return await sender.drain();
  } finally {
    sender.close();
  }
}

/** Distinct pairs of the whole stream by the cache's identity: the floor of model items. */
export async function countDistinctPairs(
  dir: string,
  files: readonly string[],
): Promise<{ lines: number; distinct: number }> {
  const seen = new Set<string>();
  let lines = 0;
  for (const file of files) {
    for await (const pair of filePairs(join(dir, file))) {
      lines++;
      seen.add(pairIdentity(pair));
    }
  }
  return { lines, distinct: seen.size };
}

/** The stream's distinct pairs (by the cache's identity), each as first seen, in order. */
export async function distinctPairsOf(dir: string, files: readonly string[]): Promise<Pair[]> {
  const seen = new Set<string>();
  const out: Pair[] = [];
  for (const file of files) {
    for await (const pair of filePairs(join(dir, file))) {
      const id = pairIdentity(pair);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(pair);
    }
  }
  return out;
}
