/** Deterministic JSONL job-posting files with known bad lines, for the augmenter's tests. */

const COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella", "Zoë & Søn", "日本商事"];
const TITLES = [
  "Accounting Intern",
  "Software Engineer Trainee",
  "Junior Software QA Engineer",
  "Senior Tax Accountant",
  "Lead Electrical Engineer",
  "Account Manager",
  "VP Network Engineering",
  "Head of Legal",
  "Director of Engineering Backend Systems",
  "CFO",
  'Data "Wrangler"',
  "Paralegal",
];

/** Bad lines the fixture plants, with the reason the augmenter must give. */
const BAD: { text: string | Buffer; reason: string }[] = [
  { text: "{not json", reason: "not JSON" },
  { text: '["array"]', reason: "not a JSON object" },
  { text: '{"title":"CFO"}', reason: "company missing" },
  { text: '{"company":"Acme","title":42}', reason: "title not a string" },
  { text: "", reason: "empty line" },
  { text: Buffer.from('{"company":"Acme\xfe","title":"CFO"}', "latin1"), reason: "invalid UTF-8" },
];

export interface Fixture {
  bytes: Buffer;
  /** Good lines' text, in order. */
  good: string[];
  /** 1-based numbers and reasons of bad lines. */
  bad: { line: number; reason: string }[];
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function jsonlFixture(seed: number, lines: number, badShare = 0.05, crlf = false): Fixture {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const parts: Buffer[] = [];
  const good: string[] = [];
  const bad: { line: number; reason: string }[] = [];
  for (let n = 1; n <= lines; n++) {
    if (next() < badShare) {
      const planted = pick(BAD);
      parts.push(Buffer.from(planted.text));
      bad.push({ line: n, reason: planted.reason });
    } else {
      const text = JSON.stringify({
        url: `https://jobs.example/${seed}/${n}`,
        company: pick(COMPANIES),
        title: pick(TITLES),
        location: "New York, NY",
        scraped_on: 1721183915 + n,
      });
      parts.push(Buffer.from(text));
      good.push(text);
    }
    parts.push(Buffer.from(crlf ? "\r\n" : "\n"));
  }
  return { bytes: Buffer.concat(parts), good, bad };
}
