import type { Prng } from "./Prng.js";

const LOCATIONS = [
  "New York, NY",
  "San Francisco, CA",
  "Seattle, WA",
  "Austin, TX",
  "Chicago, IL",
  "Boston, MA",
  "Denver, CO",
  "Atlanta, GA",
  "Los Angeles, CA",
  "Miami, FL",
  "Remote",
  "Remote - US",
  "London, UK",
  "Berlin, Germany",
  "München, Germany",
  "Zürich, Switzerland",
  "Paris, France",
  "Amsterdam, Netherlands",
  "Dublin, Ireland",
  "Toronto, ON",
  "Montréal, QC",
  "São Paulo, Brazil",
  "Ciudad de México, Mexico",
  "Bengaluru, India",
  "Singapore",
  "東京都",
  "大阪府",
  "Sydney, NSW",
  "Kraków, Poland",
  "İstanbul, Türkiye",
  "Tel Aviv, Israel",
  "Stockholm, Sweden",
  "Hybrid - Austin, TX",
  "",
] as const;

/** Where the job is; an empty string sometimes (scrapers miss it). */
export function buildLocation(prng: Prng): string {
  return prng.pick(LOCATIONS);
}
