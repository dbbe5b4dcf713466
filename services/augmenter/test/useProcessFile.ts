import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { ModelSim, levelForTitle } from "@seniority/model-sim";
import { SeniorityClient } from "@seniority/seniority-model";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { processFile, type ProcessFileOptions } from "../src/file/processFile.js";
import { jsonLines } from "./support/jsonLines.js";

/**
 * processFile over local directories and a real model-sim, for the current test file: the sim
 * and its client live for the file; each test gets a fresh root directory (raw/, mod/, errors/).
 * `run` writes an input and processes it; `line` and `out` are an input line and its expected
 * output line. sim, client, root and stores can be read in a hook or a test.
 */
export function useProcessFile() {
  let sim: ModelSim | undefined;
  let client: SeniorityClient | undefined;
  let root = "";
  let stores: Pick<ProcessFileOptions, "input" | "output" | "errors"> | undefined;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
    client = new SeniorityClient({ address: sim.address });
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "augmenter-pf-"));
    stores = {
      input: new LocalDirObjectStore(join(root, "raw")),
      output: new LocalDirObjectStore(join(root, "mod")),
      errors: new LocalDirObjectStore(join(root, "errors")),
    };
    return () => rmSync(root, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useProcessFile(): ${name} is set up in a hook`);
    return value;
  };

  const write = (key: string, content: string | Buffer): void =>
    writeFileSync(join(root, "raw", key), content, { flag: "w" });
  async function run(key: string, content: string | Buffer, options: Partial<ProcessFileOptions> = {}) {
    mkdirSync(join(root, "raw"), { recursive: true });
    write(key, content);
    const result = await processFile({ ...started(stores, "stores"), key, resolver: client!, ...options });
    const output = readFileSync(join(root, "mod", key), "utf8");
    const errors = readFileSync(join(root, "errors", key), "utf8");
    const records = jsonLines<Record<string, unknown>>(errors);
    const meta = (await started(stores, "stores").output.head(key))!.metadata;
    return { result, output, records, meta };
  }
  const line = (title: string, extra = ""): string =>
    `{"company":"Acme","title":${JSON.stringify(title)}${extra}}`;
  const out = (title: string, extra = ""): string =>
    `{"company":"Acme","title":${JSON.stringify(title)}${extra},"seniority":${levelForTitle(title)}}\n`;

  return {
    run,
    write,
    line,
    out,
    get sim(): ModelSim {
      return started(sim, "sim");
    },
    get client(): SeniorityClient {
      return started(client, "client");
    },
    get root(): string {
      return started(root || undefined, "root");
    },
    get stores(): Pick<ProcessFileOptions, "input" | "output" | "errors"> {
      return started(stores, "stores");
    },
  };
}
