import { formatPostingLine, type Posting } from "./formatPostingLine.js";
import type { Prng } from "./Prng.js";

/** The kinds of malformed line the generator writes (for the augmenter's error path). */
export const BAD_LINE_KINDS = [
  "not_json",
  "truncated",
  "not_object",
  "missing_company",
  "title_not_string",
  "garbage",
  "invalid_utf8",
  "overlong",
] as const;
export type BadLineKind = (typeof BAD_LINE_KINDS)[number];

/**
 * A malformed line of `kind`, made from the good posting it replaces. Never blank or
 * whitespace-only (a reader might skip those as blank lines rather than count them as bad).
 * `overlongBytes`: the size of an "overlong" line (a valid object whose title pads it out).
 */
export function buildBadLine(
  kind: BadLineKind,
  posting: Posting,
  prng: Prng,
  overlongBytes: number,
): string | Buffer {
  const good = formatPostingLine(posting);
  switch (kind) {
    case "not_json":
      return prng.pick([
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        `url=${posting.url}&company=${encodeURIComponent(posting.company)}`,
        `{url: '${posting.url}', company: '${posting.company}'}`,
        'Traceback (most recent call last): File "scrape.py", line 42',
        `{"url": "${posting.url}", "company": "${posting.company}",}`,
      ]);
    case "truncated":
      // Any strict prefix of the object is invalid JSON; cut somewhere after the opening brace.
      return good.slice(0, 1 + prng.int(good.length - 2));
    case "not_object":
      return prng.pick([
        JSON.stringify([posting.url, posting.company, posting.title]),
        "null",
        String(posting.scraped_on),
        JSON.stringify(`${posting.company}: ${posting.title}`),
      ]);
    case "missing_company":
      return `{"url": ${JSON.stringify(posting.url)}, "title": ${JSON.stringify(posting.title)}, "location": ${JSON.stringify(posting.location)}, "scraped_on": ${posting.scraped_on}}`;
    case "title_not_string": {
      const title = prng.pick([
        "42",
        "null",
        "true",
        JSON.stringify(posting.title.split(" ")),
        `{"name": ${JSON.stringify(posting.title)}}`,
      ]);
      return `{"url": ${JSON.stringify(posting.url)}, "company": ${JSON.stringify(posting.company)}, "title": ${title}, "location": ${JSON.stringify(posting.location)}, "scraped_on": ${posting.scraped_on}}`;
    }
    case "garbage":
      return prng.pick([
        "}{",
        "\t.\t",
        " ~ ",
        "\u0007\u0007\u0007",
        "¯\\_(ツ)_/¯",
        "-",
        "\u001b[31mERROR\u001b[0m",
        "\ufffd\ufffd",
      ]);
    case "invalid_utf8": {
      // Bytes no UTF-8 decoder accepts, inside the title string: a bad lead byte, a lone
      // continuation byte, a truncated sequence before ASCII, an overlong encoding of "/".
      const bytes = Buffer.from(good);
      const at = bytes.indexOf('"title": "') + 10;
      const bad = Buffer.from(prng.pick([[0xff], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xe2, 0x82]]));
      return Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]);
    }
    case "overlong": {
      const padding = Math.max(0, overlongBytes - Buffer.byteLength(good));
      return formatPostingLine({ ...posting, title: posting.title + " " + "x".repeat(padding) });
    }
  }
}
