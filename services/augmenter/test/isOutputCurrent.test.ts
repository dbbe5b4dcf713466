import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbeddedResolver, type EmbeddedResolver } from "../src/cli/createEmbeddedResolver.js";
import { isOutputCurrent } from "../src/file/isOutputCurrent.js";
import { startSimulator } from "./augmentHelpers.js";
import { runAugmenter } from "../src/run/runAugmenter.js";

describe("isOutputCurrent", () => {
  const output = (metadata: Record<string, string>) => ({ metadata });
  it("is true only for the same source ETag and the same namespace", () => {
    const made = output({ "source-etag": "e1", "cache-namespace": "v1:std:m" });
    expect(isOutputCurrent(made, "e1", "v1:std:m")).toBe(true);
    expect(isOutputCurrent(made, "e2", "v1:std:m")).toBe(false);
    expect(isOutputCurrent(made, "e1", "v1:std:sim")).toBe(false);
    expect(isOutputCurrent(made, "e1", undefined)).toBe(false);
    // Written before outputs carried a namespace: redone by any run that names one.
    expect(isOutputCurrent(output({ "source-etag": "e1" }), "e1", "v1:std:m")).toBe(false);
    expect(isOutputCurrent(output({ "source-etag": "e1" }), "e1", undefined)).toBe(true);
    expect(isOutputCurrent(undefined, "e1", "v1:std:m")).toBe(false);
  });
});

describe("runAugmenter with a namespace", () => {
  let root: string;
  let resolver: EmbeddedResolver;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "output-current-"));
    mkdirSync(join(root, "raw"));
    for (const key of ["1721183940.jsonl", "1721184000.jsonl"]) {
      writeFileSync(join(root, "raw", key), '{"company":"Acme","title":"CFO"}\n');
    }
    resolver = await createEmbeddedResolver({
      model: "sim",
      startSimulator,
      store: "memory",
      logger: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await resolver?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const run = (namespace: string) =>
    runAugmenter({
      input: new LocalDirObjectStore(join(root, "raw")),
      output: new LocalDirObjectStore(join(root, "mod")),
      errors: new LocalDirObjectStore(join(root, "errors")),
      resolver,
      namespace,
      mode: "once",
    });

  it("writes it into each output, skips outputs of that namespace and redoes those of another", async () => {
    expect((await run("v1:std:sim")).files).toEqual({ done: 2, failed: 0, skipped: 0, aborted: 0 });
    const output = new LocalDirObjectStore(join(root, "mod"));
    expect((await output.head("1721183940.jsonl"))!.metadata["cache-namespace"]).toBe("v1:std:sim");
    // Same namespace: the checkpoint covers both files, so they are not even looked at.
    expect((await run("v1:std:sim")).files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    expect((await run("v1:std:m")).files).toEqual({ done: 2, failed: 0, skipped: 0, aborted: 0 });
    expect((await output.head("1721183940.jsonl"))!.metadata["cache-namespace"]).toBe("v1:std:m");
    expect((await run("v1:std:m")).files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 }); // checkpoint
  });
});
