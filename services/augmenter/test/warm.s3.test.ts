import { S3Server } from "@seniority/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Fixture } from "./s3Helpers.js";
import { RecordingProxy } from "./support/RecordingProxy.js";
import { runWarmCli } from "./support/runWarmCli.js";

let server: S3Server;
let s3: S3Fixture;
let proxy: RecordingProxy;
const saved = { ...process.env };
const line = (company: string, title: string): string => `${JSON.stringify({ company, title })}\n`;

beforeAll(async () => {
  [server, proxy] = await Promise.all([S3Server.start(["rl-data"]), RecordingProxy.start()]);
  s3 = new S3Fixture(server);
  // The AWS variables the CLI reads for region and credentials (the endpoint comes from the flag).
  Object.assign(process.env, { ...server.env, AWS_ENDPOINT_URL_S3: "" });
  await s3.put(
    "hist/1721183940.jsonl",
    line("Acme", "CEO").repeat(3) + line("Bolt", "Intern").repeat(2) + line("Cora", "Clerk"),
  );
  await s3.put("hist/1721184000.csv", "title,company\nIntern,Bolt\nIntern,Bolt\n");
  await s3.put("hist/readme.md", "# not postings\n");
  await s3.put("other/1721183940.jsonl", line("Dyn", "CTO").repeat(9));
});
afterAll(async () => {
  process.env = saved;
  await s3?.close();
  await Promise.all([proxy?.close(), server?.close()]);
});

describe("seniority warm from S3", () => {
  const s3Flags = (): string[] => [
    "--proxy",
    proxy.address,
    "--s3-endpoint",
    server.endpoint,
    "--s3-force-path-style",
  ];

  it("counts every posting file under an s3:// prefix, and nothing outside it", async () => {
    proxy.calls.length = 0;
    const result = await runWarmCli(["s3://rl-data/hist/", ...s3Flags()]);
    expect(result.err).toBe("");
    expect(JSON.parse(result.out)).toMatchObject({
      counted: { files: 2, lines: 8, badLines: 0, tracked: 3 },
      planPairs: 2,
      sent: 2,
    });
    expect(proxy.sent()).toEqual(["Bolt|Intern", "Acme|CEO"]);
    expect(proxy.calls.map((c) => c.lane)).toEqual(["bulk"]);
  });

  it("reads one s3:// object", async () => {
    proxy.calls.length = 0;
    const result = await runWarmCli(["s3://rl-data/hist/1721183940.jsonl", ...s3Flags(), "--min-count", "1"]);
    expect(JSON.parse(result.out)).toMatchObject({ counted: { files: 1, lines: 6 }, planPairs: 3 });
    expect(proxy.sent()).toEqual(["Acme|CEO", "Bolt|Intern", "Cora|Clerk"]);
  });
});
