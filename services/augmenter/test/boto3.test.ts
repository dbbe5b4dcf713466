import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { SeniorityClient } from "@seniority/seniority-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Server, startAll } from "@seniority/testkit";
import { runAugmenter } from "../src/run/runAugmenter.js";
import { jsonlFixture } from "./jsonlFixture.js";
import { S3Fixture } from "./s3Helpers.js";

const SCRIPT = fileURLToPath(new URL("../../../test/interop/boto3_check.py", import.meta.url));
// Debian's python3 with python3-boto3 (apt-get install python3-boto3).
const PYTHON = "/usr/bin/python3";

const EDGE_FILES: Record<string, string> = {
  "1721180000.jsonl": "",
  "1721180060.jsonl": '{"company":"Acme","title":"CEO"}',
  "1721180120.jsonl":
    '\ufeff{"company":"Acme","title":"Intern"}\r\n{"company":"Zoë","title":"Head of Legal", "x": "\\"q\\" 日本"}\r\n',
  "1721180180.jsonl": '{"seniority": 1, "company":"Acme","title":"CFO"}\n\nnot json\n',
};

describe("an independent S3 client (boto3) agrees with the augmenter's output", () => {
  let server: S3Server;
  let s3: S3Fixture;
  let sim: ModelSim;
  let client: SeniorityClient;
  let dir: string;
  let levelsFile: string;
  beforeAll(async () => {
    [server, sim] = await startAll(S3Server.start(["rl-data"]), ModelSim.start({ capacity: 1_000_000 }));
    s3 = new S3Fixture(server);
    client = new SeniorityClient({ address: sim.address });
    const titles = new Set<string>(["CEO", "Intern", "Head of Legal", "CFO"]);
    for (const [i, seed] of [7, 8].entries()) {
      const fixture = jsonlFixture(seed, 300, 0.05, i === 1);
      for (const line of fixture.good) titles.add((JSON.parse(line) as { title: string }).title);
      await s3.put(`job-postings-raw/172118${4000 + i}.jsonl`, fixture.bytes);
    }
    for (const [key, text] of Object.entries(EDGE_FILES)) await s3.put(`job-postings-raw/${key}`, text);
    dir = mkdtempSync(join(tmpdir(), "augmenter-boto3-"));
    levelsFile = join(dir, "levels.json");
    writeFileSync(
      levelsFile,
      JSON.stringify(Object.fromEntries([...titles].map((t) => [t, levelForTitle(t)]))),
    );
    const summary = await runAugmenter({
      input: s3.store("job-postings-raw/"),
      output: s3.store("job-postings-mod/"),
      errors: s3.store("job-postings-errors/"),
      resolver: client,
      mode: "once",
    });
    expect(summary.files.done).toBe(6);
  });
  afterAll(async () => {
    await client?.close();
    await s3?.close();
    await Promise.all([sim?.close(), server?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const check = () => {
    const result = spawnSync(
      PYTHON,
      [
        SCRIPT,
        "--bucket",
        "rl-data",
        "--input",
        "job-postings-raw/",
        "--output",
        "job-postings-mod/",
        "--errors",
        "job-postings-errors/",
        "--levels",
        levelsFile,
      ],
      { env: { ...process.env, ...server.env }, encoding: "utf8" },
    );
    if (result.stderr.includes("No module named 'boto3'"))
      throw new Error("python3-boto3 is missing: apt-get install -y python3-boto3");
    return {
      status: result.status,
      report: JSON.parse(result.stdout) as { files: number; problems: Record<string, string[]> },
      stderr: result.stderr,
    };
  };

  it("finds every output line equal to its input line plus the right seniority, and in = out + bad", () => {
    const { status, report, stderr } = check();
    expect(stderr).toBe("");
    expect(report).toEqual({ files: 6, problems: {} });
    expect(status).toBe(0);
  });

  it("notices a tampered output", async () => {
    const key = "job-postings-mod/1721180060.jsonl";
    const original = await s3.get(key);
    const head = (await s3.head(key))!;
    const level = levelForTitle("CEO");
    const tampered = original.toString().replace(`"seniority":${level}`, `"seniority":${(level % 7) + 1}`);
    expect(tampered).not.toBe(original.toString());
    await s3.client.send(
      new PutObjectCommand({ Bucket: "rl-data", Key: key, Body: tampered, Metadata: head.metadata }),
    );
    const { status, report } = check();
    expect(status).toBe(1);
    expect(Object.keys(report.problems)).toEqual(["1721180060.jsonl"]);
  });
});
