import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ObjectNotFoundError } from "../src/ObjectNotFoundError.js";
import type { ObjectStore } from "../src/ObjectStore.js";

/** What each backend's test file provides to the shared contract. */
export interface ContractFixture {
  store: ObjectStore;
  /** Writes in progress or left over: hidden temp files locally, incomplete multipart uploads on S3. */
  incompleteWrites(): Promise<string[]>;
  /** Simulates a writer killed mid-put of `key`, leaving its incomplete write behind. */
  leaveIncompleteWrite(key: string): Promise<void>;
  close(): Promise<void>;
}

export const MiB = 1024 * 1024;

/** `total` bytes in 1 MiB chunks with a position-dependent pattern (so misplaced parts show). */
export function patternBytes(total: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < total; offset += MiB) {
    const chunk = Buffer.alloc(Math.min(MiB, total - offset));
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((offset + i) >>> 0, i);
    chunks.push(chunk);
  }
  return chunks;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function keys(store: ObjectStore, startAfter?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const item of store.list(startAfter === undefined ? {} : { startAfter })) out.push(item.key);
  return out;
}

function md5(bytes: Buffer): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** Polls (the upload runs in the store; nothing to inject) until `check` holds, for at most 10 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await delay(20);
  }
  throw new Error("condition not reached in 10 s");
}

export function describeObjectStoreContract(name: string, open: () => Promise<ContractFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fx: ContractFixture;
    beforeEach(async () => {
      fx = await open();
    });
    afterEach(async () => {
      await fx.close();
    });

    it("lists keys in order, strictly after startAfter, recursing into sub-paths", async () => {
      // Keys whose order s3rver gets right too (it walks directories, so "a-b" < "a/x" < "a0" is
      // not honoured there; the local store's own test covers that byte order).
      for (const key of ["2.jsonl", "c0.jsonl", "b/x.jsonl", "1.jsonl", "c/d/e.jsonl", "a.jsonl"]) {
        await fx.store.put(key, Readable.from([Buffer.from(key)]), {});
      }
      expect(await keys(fx.store)).toEqual([
        "1.jsonl",
        "2.jsonl",
        "a.jsonl",
        "b/x.jsonl",
        "c/d/e.jsonl",
        "c0.jsonl",
      ]);
      expect(await keys(fx.store, "a.jsonl")).toEqual(["b/x.jsonl", "c/d/e.jsonl", "c0.jsonl"]);
      expect(await keys(fx.store, "b/")).toEqual(["b/x.jsonl", "c/d/e.jsonl", "c0.jsonl"]);
      expect(await keys(fx.store, "1.jsonl")).toEqual([
        "2.jsonl",
        "a.jsonl",
        "b/x.jsonl",
        "c/d/e.jsonl",
        "c0.jsonl",
      ]);
      expect(await keys(fx.store, "c/d/e.jsonl")).toEqual(["c0.jsonl"]);
      expect(await keys(fx.store, "z")).toEqual([]);
    });

    it("lists size and etag, the same etag head reports; new bytes change it", async () => {
      await fx.store.put("1721183934.jsonl", Readable.from([Buffer.from("hello\n")]), { source: "x" });
      const listed = [];
      for await (const item of fx.store.list()) listed.push(item);
      const head = await fx.store.head("1721183934.jsonl");
      expect(listed).toEqual([{ key: "1721183934.jsonl", size: 6, etag: head?.etag }]);
      expect(head?.etag).toBe(md5(Buffer.from("hello\n"))); // single-part: md5 hex, no quotes, on both
      await fx.store.put("1721183934.jsonl", Readable.from([Buffer.from("hello!\n")]), {});
      expect((await fx.store.head("1721183934.jsonl"))?.etag).toBe(md5(Buffer.from("hello!\n")));
    });

    it("head of a missing key is undefined; get of one throws ObjectNotFoundError", async () => {
      expect(await fx.store.head("nope.jsonl")).toBeUndefined();
      await expect(fx.store.get("nope.jsonl")).rejects.toThrow(ObjectNotFoundError);
      await expect(fx.store.get("nope.jsonl")).rejects.toThrow(
        `object not found: nope.jsonl in ${fx.store.location}`,
      );
    });

    it("round-trips bytes and metadata", async () => {
      const bytes = Buffer.from('{"company":"Müller GmbH","title":"Senior \\"Data\\" Engineer"}\r\n\n');
      const metadata = { "source-etag": "0123abcd", "lines-in": "2", "lines-bad": "0" };
      await fx.store.put("out/1721183934.jsonl", Readable.from([bytes]), metadata);
      expect(await readAll(await fx.store.get("out/1721183934.jsonl"))).toEqual(bytes);
      expect(await fx.store.head("out/1721183934.jsonl")).toEqual({
        key: "out/1721183934.jsonl",
        size: bytes.length,
        etag: md5(bytes),
        metadata,
      });
    });

    it("puts a 20 MiB stream (multipart on S3) byte for byte", async () => {
      const chunks = patternBytes(20 * MiB);
      await fx.store.put("big.jsonl", Readable.from(chunks), { kind: "big" });
      const back = await readAll(await fx.store.get("big.jsonl"));
      expect(back.length).toBe(20 * MiB);
      expect(md5(back)).toBe(md5(Buffer.concat(chunks)));
      expect((await fx.store.head("big.jsonl"))?.metadata).toEqual({ kind: "big" });
      expect(await fx.incompleteWrites()).toEqual([]);
    });

    it("a body that errors midway leaves nothing: no object, no incomplete write, old version intact", async () => {
      await fx.store.put("f.jsonl", Readable.from([Buffer.from("old\n")]), { v: "1" });
      const chunks = patternBytes(12 * MiB);
      async function* failing(): AsyncGenerator<Buffer> {
        yield* chunks;
        throw new Error("source read failed");
      }
      await expect(fx.store.put("f.jsonl", Readable.from(failing()), { v: "2" })).rejects.toThrow(
        "source read failed",
      );
      await expect(fx.store.put("g.jsonl", Readable.from(failing()), {})).rejects.toThrow(
        "source read failed",
      );
      expect(await keys(fx.store)).toEqual(["f.jsonl"]);
      expect(await readAll(await fx.store.get("f.jsonl"))).toEqual(Buffer.from("old\n"));
      expect((await fx.store.head("f.jsonl"))?.metadata).toEqual({ v: "1" });
      expect(await fx.incompleteWrites()).toEqual([]);
    });

    it("an abort midway rejects with the signal's reason and leaves nothing", async () => {
      const controller = new AbortController();
      // 12 MiB, then a body that never ends on its own (a stream, so destroying it is immediate: a
      // generator parked at an await could not be returned, and the put would wait on it forever).
      const stalling = new Readable({ read: () => undefined });
      for (const chunk of patternBytes(12 * MiB)) stalling.push(chunk);
      // Abort once the write is really under way (a temp file / a multipart upload exists).
      void waitFor(async () => (await fx.incompleteWrites()).length > 0).then(() =>
        controller.abort(new Error("shutting down")),
      );
      await expect(fx.store.put("h.jsonl", stalling, {}, controller.signal)).rejects.toThrow("shutting down");
      expect(await fx.store.head("h.jsonl")).toBeUndefined();
      expect(await keys(fx.store)).toEqual([]);
      expect(await fx.incompleteWrites()).toEqual([]);
    });

    it("an already aborted signal writes nothing", async () => {
      const controller = new AbortController();
      controller.abort(new Error("too late"));
      await expect(
        fx.store.put("i.jsonl", Readable.from([Buffer.from("x")]), {}, controller.signal),
      ).rejects.toThrow("too late");
      expect(await keys(fx.store)).toEqual([]);
    });

    it("a put cleans up the incomplete write a killed writer left for that key", async () => {
      await fx.leaveIncompleteWrite("j.jsonl");
      await fx.leaveIncompleteWrite("k.jsonl");
      expect((await fx.incompleteWrites()).length).toBe(2);
      await fx.store.put("j.jsonl", Readable.from([Buffer.from("j\n")]), {});
      expect(await fx.incompleteWrites()).toEqual(["k.jsonl"]);
      expect(await keys(fx.store)).toEqual(["j.jsonl"]);
    });

    it("deletes an object and its metadata; deleting a missing key is fine", async () => {
      await fx.store.put("d.jsonl", Readable.from([Buffer.from("d")]), { a: "1" });
      await fx.store.delete("d.jsonl");
      await fx.store.delete("d.jsonl");
      expect(await fx.store.head("d.jsonl")).toBeUndefined();
      await fx.store.put("d.jsonl", Readable.from([Buffer.from("d")]), {});
      expect((await fx.store.head("d.jsonl"))?.metadata).toEqual({});
    });

    it("rejects keys and metadata that would not round-trip on both backends", async () => {
      const body = (): Readable => Readable.from([Buffer.from("x")]);
      await expect(fx.store.put("a//b", body(), {})).rejects.toThrow(
        'invalid object key "a//b": empty path segment',
      );
      await expect(fx.store.put("../x", body(), {})).rejects.toThrow(
        'invalid object key "../x": segment ".." starts with "."',
      );
      await expect(fx.store.put(".hidden", body(), {})).rejects.toThrow('invalid object key ".hidden"');
      await expect(fx.store.put("x", body(), { Source: "a" })).rejects.toThrow(
        'invalid metadata name "Source"',
      );
      await expect(fx.store.put("x", body(), { a: "Müller" })).rejects.toThrow(
        'invalid metadata value for "a"',
      );
      expect(await keys(fx.store)).toEqual([]);
    });
  });
}
