import { levelForTitle } from "@seniority/model-sim";
import { describe, expect, it } from "vitest";
import { useProcessFile } from "./useProcessFile.js";

// Line by line: good and bad lines, line endings, byte-exact output, invalid UTF-8, the line limit.
describe("processFile (local directories, real model-sim)", () => {
  const { run, line, out } = useProcessFile();

  it("writes each good line with its level and each bad line to the errors object", async () => {
    const input =
      [line("CFO"), "not json", line("Junior Accountant"), "", '{"company":"Acme"}', "[1]", line("CFO")].join(
        "\n",
      ) + "\n";
    const { result, output, records, meta } = await run("1721183934.jsonl", input);
    expect(output).toBe(out("CFO") + out("Junior Accountant") + out("CFO"));
    expect(records).toEqual([
      { file: "1721183934.jsonl", line: 2, reason: "not JSON", raw: "not json" },
      { file: "1721183934.jsonl", line: 4, reason: "empty line", raw: "" },
      { file: "1721183934.jsonl", line: 5, reason: "title missing", raw: '{"company":"Acme"}' },
      { file: "1721183934.jsonl", line: 6, reason: "not a JSON object", raw: "[1]" },
    ]);
    expect(result).toMatchObject({
      outcome: "done",
      linesIn: 7,
      linesOut: 3,
      linesBad: 4,
      pairsRequested: 2,
      localCacheHits: 0,
    });
    expect(meta).toEqual({
      "source-etag": result.sourceEtag,
      "lines-in": "7",
      "lines-out": "3",
      "lines-bad": "4",
    });
  });

  it("handles an empty file", async () => {
    const { result, output, records, meta } = await run("empty.jsonl", "");
    expect([output, records]).toEqual(["", []]);
    expect(meta).toMatchObject({ "lines-in": "0", "lines-out": "0", "lines-bad": "0" });
    expect(result.pairsRequested).toBe(0);
  });

  it("handles one line without a newline, CRLF endings and a BOM (output is LF, BOM dropped)", async () => {
    expect((await run("one.jsonl", line("CEO"))).output).toBe(out("CEO"));
    expect((await run("crlf.jsonl", `${line("CEO")}\r\n${line("Intern")}\r\n`)).output).toBe(
      out("CEO") + out("Intern"),
    );
    expect((await run("bom.jsonl", `\ufeff${line("CEO")}\n`)).output).toBe(out("CEO"));
  });

  it("keeps unicode, escapes and spacing byte for byte", async () => {
    const text =
      '{ "company" : "Caf\\u00e9 \\"Zoë\\" 日本", "title":"Senior Data Engineer \\/ 🚀" , "n": 1.50e3 }';
    const { output } = await run("unicode.jsonl", text + "\n");
    expect(output).toBe(`${text.slice(0, -2)},"seniority":${levelForTitle("Senior Data Engineer / 🚀")} }\n`);
  });

  it("replaces an existing seniority instead of adding one", async () => {
    const { output } = await run(
      "has.jsonl",
      '{"seniority": 1, "company":"Acme","title":"CEO","meta":{"seniority":2}}\n',
    );
    expect(output).toBe('{"seniority": 7, "company":"Acme","title":"CEO","meta":{"seniority":2}}\n');
  });

  it("reports invalid UTF-8 as a bad line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(line("CEO") + "\n"),
      Buffer.from('{"company":"A\xff","title":"x"}\n', "latin1"),
    ]);
    const { records, output } = await run("utf8.jsonl", bytes);
    expect(output).toBe(out("CEO"));
    expect(records).toEqual([
      { file: "utf8.jsonl", line: 2, reason: "invalid UTF-8", raw: '{"company":"A\ufffd","title":"x"}' },
    ]);
  });

  const big = `{"company":"Acme","title":"Lead Lawyer","description":"${"x".repeat(5_000_000)}"}`;
  it("reports a 5 MB line as bad under the default 1 MiB limit", async () => {
    const { records, output, meta } = await run("big.jsonl", `${line("CEO")}\n${big}\n${line("Intern")}`);
    expect(output).toBe(out("CEO") + out("Intern"));
    expect(records).toEqual([
      {
        file: "big.jsonl",
        line: 2,
        reason: `line over 1048576 bytes (${big.length} bytes)`,
        raw: big.slice(0, 1024),
      },
    ]);
    expect(meta).toMatchObject({ "lines-in": "3", "lines-out": "2", "lines-bad": "1" });
  });

  it("keeps a 5 MB line when the limit is raised", async () => {
    const { output, records } = await run("big.jsonl", `${big}\n`, { maxLineBytes: 8 << 20 });
    expect(records).toEqual([]);
    expect(output).toBe(`${big.slice(0, -1)},"seniority":${levelForTitle("Lead Lawyer")}}\n`);
  });
});
