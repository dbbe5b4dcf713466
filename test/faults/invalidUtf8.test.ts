import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentials, Client, type ServiceError } from "@grpc/grpc-js";
import { runAugmenter } from "@seniority/augmenter";
import { LocalDirObjectStore } from "@seniority/object-store";
import { INFER_SENIORITY_PATH, SeniorityResponseBatch } from "@seniority/proto";
import { SeniorityClient } from "@seniority/seniority-model";
import { Status } from "nice-grpc";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useSimProxy } from "../../services/augmenter/test/support/useSimProxy.js";

// Issue 9 item 7. Requests are built by hand, byte by byte, so invalid UTF-8 reaches the server
// as it would from any client (a TypeScript client cannot encode it: strings are always UTF-16).

/** A protobuf varint. */
function varint(value: number): number[] {
  const out: number[] = [];
  for (; value > 0x7f; value >>>= 7) out.push((value & 0x7f) | 0x80);
  out.push(value);
  return out;
}
const field = (tag: number, bytes: Buffer) =>
  Buffer.from([...varint(tag), ...varint(bytes.length), ...bytes]);

/** One SeniorityRequest; `uuidLast` puts the uuid after the strings (legal in protobuf). */
function item(uuid: number, company: Buffer, title: Buffer, uuidLast = false): Buffer {
  const id = Buffer.from([0x08, ...varint(uuid)]);
  const strings = [field(0x12, company), field(0x1a, title)];
  return Buffer.concat(uuidLast ? [...strings, id] : [id, ...strings]);
}
const batch = (...items: Buffer[]) => Buffer.concat(items.map((i) => field(0x0a, i)));

const FF = Buffer.from([0x43, 0x45, 0x4f, 0xff]); // "CEO\xff"
const FE = Buffer.from([0x43, 0x45, 0x4f, 0xfe]); // "CEO\xfe"
const REPLACEMENT = Buffer.from("CEO\uFFFD"); // valid UTF-8: EF BF BD
const acme = Buffer.from("Acme");

/** A unary call with raw request bytes: the decoded reply, or the gRPC error. */
async function call(address: string, request: Buffer): Promise<SeniorityResponseBatch | ServiceError> {
  const client = new Client(address, credentials.createInsecure());
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        INFER_SENIORITY_PATH,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => SeniorityResponseBatch.decode(bytes),
        request,
        (error, reply) => resolve(error ?? reply!),
      );
    });
  } finally {
    client.close();
  }
}

function expectInvalid(result: SeniorityResponseBatch | ServiceError, details: string): void {
  expect(result).toBeInstanceOf(Error);
  expect({ code: (result as ServiceError).code, details: (result as ServiceError).details }).toEqual({
    code: Status.INVALID_ARGUMENT,
    details,
  });
}

describe("invalid UTF-8 is refused, never merged with U+FFFD", () => {
  const models = useSimProxy();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "invalid-utf8-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => models.sim.resetStats());

  for (const target of ["proxy", "model-sim"] as const) {
    it(`${target}: "\\xff" and "\\xfe" get INVALID_ARGUMENT naming the item; a real U+FFFD is answered`, async () => {
      const address = target === "proxy" ? models.proxyAddress : models.sim.address;
      expectInvalid(
        await call(address, batch(item(1, acme, FF))),
        "title of item #0 (uuid 1) is not valid UTF-8",
      );
      expectInvalid(
        await call(address, batch(item(1, acme, REPLACEMENT), item(2, acme, FE), item(3, FF, FE, true))),
        "title of item #1 (uuid 2) is not valid UTF-8",
      );
      expectInvalid(
        await call(address, batch(item(5, acme, REPLACEMENT), item(9, FE, REPLACEMENT, true))),
        "company of item #1 (uuid 9) is not valid UTF-8",
      );
      expect(models.sim.stats()).toMatchObject({ batches: 0, items: 0 });
      const ok = await call(address, batch(item(7, acme, REPLACEMENT)));
      expect(ok).toEqual({ batch: [{ uuid: 7, seniority: 7 }] });
      expect(models.sim.stats()).toMatchObject({ items: 1, distinctPairs: 1 });
    });
  }

  it("augmenter: invalid UTF-8 and lone-surrogate lines are bad lines; U+FFFD is a pair of its own", async () => {
    const input = join(dir, "raw");
    await mkdir(input, { recursive: true });
    const line = (title: Buffer) =>
      Buffer.concat([Buffer.from('{"url": "u", "company": "Initech", "title": "'), title, Buffer.from('"}')]);
    const lines = [
      line(REPLACEMENT), // 1: good
      line(FF), // 2: invalid UTF-8
      line(FE), // 3: invalid UTF-8
      line(Buffer.from("CEO\\udcff")), // 4: valid JSON, but a lone surrogate: would be sent as U+FFFD
      Buffer.from('{"url": "u", "company": "\\ud800Initech", "title": "CEO"}'), // 5: same, in company
      line(Buffer.from("CEO\\ufffd")), // 6: good, the same pair as line 1, escaped
    ];
    await writeFile(
      join(input, "1721183934.jsonl"),
      Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])),
    );
    const client = new SeniorityClient({ address: models.proxyAddress });
    try {
      const summary = await runAugmenter({
        input: new LocalDirObjectStore(input),
        output: new LocalDirObjectStore(join(dir, "mod")),
        errors: new LocalDirObjectStore(join(dir, "errors")),
        resolver: client,
        mode: "once",
        localCacheEntries: 0,
      });
      expect(summary).toMatchObject({ files: { done: 1, failed: 0 }, lines: { in: 6, out: 2, bad: 4 } });
    } finally {
      await client.close();
    }
    const output = (await readFile(join(dir, "mod", "1721183934.jsonl"), "utf8")).trimEnd().split("\n");
    expect(output).toEqual([
      '{"url": "u", "company": "Initech", "title": "CEO\uFFFD","seniority":7}',
      '{"url": "u", "company": "Initech", "title": "CEO\\ufffd","seniority":7}',
    ]);
    const errors = (await readFile(join(dir, "errors", "1721183934.jsonl"), "utf8"))
      .trimEnd()
      .split("\n")
      .map((text) => JSON.parse(text) as { line: number; reason: string });
    expect(errors.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 2, reason: "invalid UTF-8" },
      { line: 3, reason: "invalid UTF-8" },
      { line: 4, reason: "title not well-formed Unicode (lone surrogate)" },
      { line: 5, reason: "company not well-formed Unicode (lone surrogate)" },
    ]);
    expect(models.sim.stats()).toMatchObject({ items: 1, distinctPairs: 1 });
  });
});
