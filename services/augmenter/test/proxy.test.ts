import { levelForTitle } from "@seniority/model-sim";
import { SeniorityClient } from "@seniority/seniority-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Server } from "@seniority/testkit";
import { runAugmenter } from "../src/run/runAugmenter.js";
import { jsonlFixture } from "./jsonlFixture.js";
import { S3Fixture } from "./s3Helpers.js";
import { useSimProxy } from "./support/useSimProxy.js";

describe("augmenter → real caching proxy → model-sim", () => {
  const models = useSimProxy();
  let server: S3Server;
  let s3: S3Fixture;
  let client: SeniorityClient;
  beforeAll(async () => {
    server = await S3Server.start(["rl-data"]);
    s3 = new S3Fixture(server);
    client = new SeniorityClient({ address: models.proxyAddress });
  });
  afterAll(async () => {
    await client?.close();
    await s3?.close();
    await server?.close();
  });

  it("gives every line its model level, inferring each distinct pair once across runs and files", async () => {
    const fixtures = [jsonlFixture(21, 500), jsonlFixture(22, 500)];
    for (const [i, fixture] of fixtures.entries()) {
      await s3.put(`a-raw/17211800${i}0.jsonl`, fixture.bytes);
      await s3.put(`b-raw/17211800${i}0.jsonl`, fixture.bytes);
    }
    const run = (name: string) =>
      runAugmenter({
        input: s3.store(`${name}-raw/`),
        output: s3.store(`${name}-mod/`),
        errors: s3.store(`${name}-errors/`),
        resolver: client,
        mode: "once",
        chunkLines: 100,
      });
    expect((await run("a")).files).toMatchObject({ done: 2, failed: 0 });
    // A second augmenter (fresh local cache) over the same data: the proxy answers everything.
    const before = models.sim.stats();
    expect((await run("b")).files).toMatchObject({ done: 2, failed: 0 });
    expect(models.sim.stats().items).toBe(before.items);
    expect(before.duplicateInferences).toBe(0);

    for (const [i, fixture] of fixtures.entries()) {
      const output = (await s3.get(`b-mod/17211800${i}0.jsonl`)).toString("utf8").trimEnd().split("\n");
      expect(output).toHaveLength(fixture.good.length);
      output.forEach((line, n) => {
        const record = JSON.parse(line) as { title: string; seniority: number };
        expect(record.seniority).toBe(levelForTitle(record.title));
        expect(line).toBe(`${fixture.good[n]!.slice(0, -1)},"seniority":${record.seniority}}`);
      });
    }
  });
});
