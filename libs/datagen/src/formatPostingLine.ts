/** One posting as docs/spec.md shows it. */
export interface Posting {
  url: string;
  company: string;
  title: string;
  location: string;
  scraped_on: number;
}

/**
 * The line text, in the scraper's style (`{"url": "...", "company": ...}`: ", " and ": "
 * separators, docs/spec.md's field order). `asciiOnly` writes every non-ASCII character as a \uXXXX
 * escape and "/" as "\/", as some JSON writers do: same values, different bytes.
 */
export function formatPostingLine(posting: Posting, asciiOnly = false): string {
  const s = asciiOnly ? asciiJson : JSON.stringify;
  return joinPostingFields(
    s(posting.url),
    s(posting.company),
    s(posting.title),
    s(posting.location),
    posting.scraped_on,
  );
}

/** The same line from fields already serialized as JSON strings (the generator's fast path). */
export function joinPostingFields(
  url: string,
  company: string,
  title: string,
  location: string,
  scrapedOn: number,
): string {
  return `{"url": ${url}, "company": ${company}, "title": ${title}, "location": ${location}, "scraped_on": ${scrapedOn}}`;
}

function asciiJson(value: string): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("/", "\\/");
}
