import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { Prng } from "@seniority/datagen";
import { ModelSim } from "@seniority/model-sim";
import { openObjectStore, type ObjectStore } from "@seniority/object-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AugmentProcess } from "../support/AugmentProcess.js";
import { S3RVER_CREDENTIALS, S3Server } from "@seniority/testkit";

/**
 * SIGKILL of a real augmenter process at seeded random points, then a rerun: every output and
 * errors object byte-identical to a clean run's (metadata too), the checkpoint never claims a file
 * that is not done, and the rerun resumes after the checkpoint (it looks only at the files after it).
 */
const SEED = 11_3;
const FILES = 24;
const KILLS = 4;
const KEYS = Array.from({ length: FILES }, (_, i) => `${1_721_183_934 + 60 * i}.jsonl`);

function inputBytes(index: number): Buffer {
  const prng = new Prng(SEED, index);
  let text = "";
  for (let line = 0; line < 80; line++) {
    if (prng.chance(0.03)) text += "{not json\n";
    else
      text += `${JSON.stringify({ company: `Company ${prng.int(40)}`, title: `Title ${prng.int(60)}` })}\n`;
  }
  return Buffer.from(text);
}

async function readAll(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function outputKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list()) if (object.key.endsWith(".jsonl")) keys.push(object.key);
  return keys;
}

interface Backend {
  name: string;
  /** The location of folder `name` (raw, clean-mod, kill-mod …). */
  location(name: string): string;
  open(name: string): ObjectStore;
  env: Record<string, string>;
  close(): Promise<void>;
}

async function localBackend(): Promise<Backend> {
  const root = mkdtempSync(join(tmpdir(), "augmenter-kill-"));
  return {
    name: "local dir",
    location: (name) => join(root, name),
    open: (name) => openObjectStore(join(root, name)),
    env: {},
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const server = await S3Server.start(["rl-data"]);
  const s3 = {
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: S3RVER_CREDENTIALS,
  };
  return {
    name: "s3rver",
    location: (name) => `s3://rl-data/${name}/`,
    open: (name) => openObjectStore(`s3://rl-data/${name}/`, { s3 }),
    env: server.env,
    close: () => server.close(),
  };
}

describe.each([
  ["local dir", localBackend],
  ["s3rver", s3Backend],
])("SIGKILL of the augmenter at seeded random points (%s)", (_name, makeBackend) => {
  let backend: Backend;
  let sim: ModelSim;
  const stores: ObjectStore[] = [];
  const open = (name: string): ObjectStore => {
    const store = backend.open(name);
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    [backend, sim] = await Promise.all([makeBackend(), ModelSim.start({ capacity: 1_000_000 })]);
    const raw = open("raw");
    for (const [i, key] of KEYS.entries()) await raw.put(key, Readable.from([inputBytes(i)]), {});
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all([sim?.close(), backend?.close()]);
  });

  const once = (out: string, extra: string[] = []) =>
    AugmentProcess.start(
      [
        "--once",
        ...["--input", backend.location("raw"), "--output", backend.location(`${out}-mod`)],
        ...[
          "--errors",
          backend.location(`${out}-errors`),
          "--model",
          sim.address,
          "--store",
          "memory",
          "--progress",
          "false",
        ],
        ...["--local-cache-entries", "0", ...extra],
      ],
      backend.env,
    );
  const checkpointAfter = async (mod: ObjectStore): Promise<string | undefined> => {
    if (!(await mod.head("_checkpoint.json"))) return undefined;
    return (JSON.parse((await readAll(mod, "_checkpoint.json")).toString("utf8")) as { after: string }).after;
  };

  it("reruns give byte-identical outputs, resuming after a checkpoint that never lies", async () => {
    const clean = await once("clean").exit;
    expect(clean.code).toBe(0);
    const [cleanMod, cleanErrors, killMod, killErrors] = [
      "clean-mod",
      "clean-errors",
      "kill-mod",
      "kill-errors",
    ].map(open) as [ObjectStore, ObjectStore, ObjectStore, ObjectStore];

    const prng = new Prng(SEED, backend.name.length);
    sim.setFaults({ latencyMs: 15 }); // a file takes a few batches: kills land mid-file too
    const kills: string[] = [];
    try {
      for (let round = 0; round < KILLS; round++) {
        const before = (await outputKeys(killMod)).length;
        const target = Math.min(FILES - 1, before + 1 + prng.int(4));
        const pause = prng.int(120);
        const run = once("kill", ["--concurrency", "2", "--chunk-lines", "20"]);
        while (run.child.exitCode === null && (await outputKeys(killMod)).length < target) await delay(10);
        await delay(pause);
        const exit = await run.kill("SIGKILL");
        kills.push(`${exit.signal ?? exit.code} after ${target} outputs + ${pause} ms`);
        // The checkpoint's promise: every input key up to it has its (complete, final) output.
        const after = await checkpointAfter(killMod);
        for (const key of KEYS.filter((k) => after !== undefined && k <= after))
          expect((await readAll(killMod, key)).equals(await readAll(cleanMod, key))).toBe(true);
      }
    } finally {
      sim.setFaults({ latencyMs: 0 });
    }
    expect(kills.filter((k) => k.startsWith("SIGKILL")).length).toBeGreaterThan(0);

    const resumeAfter = await checkpointAfter(killMod);
    expect(resumeAfter).toBeDefined(); // the first advance of each run is written at once
    const rerun = await once("kill").exit;
    expect(rerun.code).toBe(0);
    const summary = AugmentProcess.summaryOf(rerun);
    // It looked only at the files after the checkpoint (done now, or found done).
    expect(summary.files.done + summary.files.skipped).toBe(
      KEYS.filter((key) => resumeAfter === undefined || key > resumeAfter).length,
    );
    expect(summary.files.failed).toBe(0);
    expect(await checkpointAfter(killMod)).toBe(KEYS.at(-1));
    for (const key of KEYS) {
      expect((await readAll(killMod, key)).equals(await readAll(cleanMod, key))).toBe(true);
      expect((await readAll(killErrors, key)).equals(await readAll(cleanErrors, key))).toBe(true);
      expect((await killMod.head(key))?.metadata).toEqual((await cleanMod.head(key))?.metadata);
    }
  }, 120_000);
});
