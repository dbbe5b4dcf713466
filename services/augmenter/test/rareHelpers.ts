import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { levelForTitle } from "@seniority/model-sim";
import { LocalDirObjectStore, type ObjectMetadata, type ObjectStore } from "@seniority/object-store";
import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { S3Server } from "@seniority/testkit";
import { S3Fixture } from "./s3Helpers.js";

/** The pairs of the rare-pair tests: C is common, P1..P4 rarer. */
export const C = { company: "Acme", title: "CFO" };
export const P1 = { company: "Acme", title: "Account Manager" };
export const P2 = { company: "Globex", title: "Paralegal" };
export const P3 = { company: "Initech", title: "Head of Legal" };
export const P4 = { company: "Umbrella", title: "Senior Tax Accountant" };

const line = (pair: SeniorityPair, n: number, extra = ""): string =>
  `{"url":"https://jobs.example/${n}","company":${JSON.stringify(pair.company)},"title":${JSON.stringify(pair.title)}${extra}}`;

/**
 * Three minute files (names: their timestamps). A holds a bad line and a line whose existing
 * "seniority" must be replaced; P1 comes back in A's third chunk (at chunkLines 2).
 */
export const FILES: Record<string, string[]> = {
  "1721183940.jsonl": [
    line(C, 1),
    line(P1, 2),
    "{not json",
    line(P2, 3, ',"seniority":3'),
    line(P1, 4),
    line(C, 5),
    line(P1, 6),
  ],
  "1721184000.jsonl": [line(P1, 7), line(P3, 8), line(C, 9), line(P3, 10)],
  "1721184060.jsonl": [line(C, 11), line(P4, 12)],
};
export const [A, B, Cf] = Object.keys(FILES) as [string, string, string];

/** A line's output: its level from model-sim, or null for the pairs in `pending`. */
export function expectedOutput(key: string, pending: readonly SeniorityPair[] = []): string {
  return FILES[key]!.filter((text) => text.startsWith('{"url"'))
    .map((text) => {
      const { company, title } = JSON.parse(text) as SeniorityPair;
      const level = pending.some((p) => p.company === company && p.title === title)
        ? "null"
        : String(levelForTitle(title));
      return text.includes('"seniority":')
        ? text.replace(/"seniority":\d+/, `"seniority":${level}`) + "\n"
        : `${text.slice(0, -1)},"seniority":${level}}\n`;
    })
    .join("");
}

/** Delegates to a real resolver, recording each call's pairs. */
export function recording(resolver: SeniorityResolver) {
  const calls: SeniorityPair[][] = [];
  return {
    calls,
    resolve: (pairs: readonly SeniorityPair[], options?: { signal?: AbortSignal }) => {
      calls.push(pairs.map(({ company, title }) => ({ company, title })));
      return resolver.resolve(pairs, options);
    },
    close: () => Promise.resolve(),
  };
}

/** A real store whose puts are recorded, and whose chosen operations fail (a crash at that point). */
export class FaultyStore implements ObjectStore {
  readonly puts: string[] = [];
  failPut = new Set<string>();
  failDelete = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  get location(): string {
    return this.store.location;
  }
  list(options?: { startAfter?: string; signal?: AbortSignal }) {
    return this.store.list(options);
  }
  head(key: string, signal?: AbortSignal) {
    return this.store.head(key, signal);
  }
  get(key: string, signal?: AbortSignal) {
    return this.store.get(key, signal);
  }
  async put(key: string, body: Readable, metadata: ObjectMetadata, signal?: AbortSignal): Promise<void> {
    if (this.failPut.has(key)) {
      body.destroy();
      throw new Error(`injected: put ${key}`);
    }
    await this.store.put(key, body, metadata, signal);
    this.puts.push(key);
  }
  async delete(key: string, signal?: AbortSignal): Promise<void> {
    if (this.failDelete.has(key)) throw new Error(`injected: delete ${key}`);
    await this.store.delete(key, signal);
  }
  close(): Promise<void> {
    return this.store.close();
  }
}

/** Where the tests' objects live: local directories or the S3 server, behind the same ObjectStore. */
export interface Backend {
  store(prefix: string): ObjectStore;
  close(): Promise<void>;
}

export function localBackend(): Backend {
  const root = mkdtempSync(join(tmpdir(), "augmenter-rare-"));
  const stores: ObjectStore[] = [];
  return {
    store: (prefix) => {
      const store = new LocalDirObjectStore(join(root, prefix));
      stores.push(store);
      return store;
    },
    close: async () => {
      await Promise.all(stores.map((store) => store.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function s3Backend(server: S3Server): Backend & { fixture: S3Fixture } {
  const fixture = new S3Fixture(server);
  return { fixture, store: (prefix) => fixture.store(prefix), close: () => fixture.close() };
}

/** The whole object as text. */
export async function read(store: ObjectStore, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Every key of a store, in order. */
export async function keys(store: ObjectStore): Promise<string[]> {
  const found: string[] = [];
  for await (const object of store.list()) found.push(object.key);
  return found;
}
