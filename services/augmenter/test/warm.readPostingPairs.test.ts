import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { postingFormat, readPostingPairs, type PostingFormat } from "../src/warm/readPostingPairs.js";

async function read(text: string, format: PostingFormat): Promise<{ pairs: string[]; bad: number }> {
  const tally = { bad: 0 };
  const pairs: string[] = [];
  for await (const p of readPostingPairs(Readable.from([Buffer.from(text)]), format, tally)) {
    pairs.push(`${p.company}|${p.title}`);
  }
  return { pairs, bad: tally.bad };
}

describe("readPostingPairs", () => {
  it("JSONL: judges lines as the augmenter does (CRLF, BOM, not JSON, title missing, lone surrogate)", async () => {
    const text =
      '\uFEFF{"company":"Acme","title":"CEO"}\r\n' +
      "not json\n" +
      '{"company":"Acme"}\n' +
      '{"company":"Bolt","title":"\\ud800"}\n' +
      "\n" +
      '{"title":"Intern","company":"Bolt","seniority":9}';
    expect(await read(text, "jsonl")).toEqual({ pairs: ["Acme|CEO", "Bolt|Intern"], bad: 4 });
  });

  it("CSV: columns by header, quoted commas, a stray quote read as a character; empty or missing fields are bad", async () => {
    const text = 'title,location,company\nCEO,NY,"Acme, Inc"\nClerk,LA,Bo"lt\n,SF,Cora\nAnalyst\n';
    expect(await read(text, "csv")).toEqual({ pairs: ["Acme, Inc|CEO", 'Bo"lt|Clerk'], bad: 2 });
  });

  it("CSV: refuses a file without company and title columns, and one with an unclosed quote", async () => {
    await expect(read("name,role\nAcme,CEO\n", "csv")).rejects.toThrow(
      'a CSV needs a header row with "company" and "title" columns',
    );
    await expect(read('company,title\nAcme,CEO\n"Bolt,Intern\n', "csv")).rejects.toThrow(
      "Quote Not Closed: the parsing is finished with an opening quote at line 3",
    );
  });

  it.each([
    ["1721183940.jsonl", "jsonl"],
    ["a/b.NDJSON", "jsonl"],
    ["x.json", "jsonl"],
    ["old.csv", "csv"],
    ["_checkpoint.json", "jsonl"],
    ["readme.md", undefined],
    ["1721183940.jsonl.gz", undefined],
  ])("%s is read as %s", (key, format) => {
    expect(postingFormat(key)).toBe(format);
  });
});
