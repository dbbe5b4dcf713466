// The job pairs the embedded-resolver tests ask: every company × every title.

export const TITLES = [
  "Accounting Intern",
  "Junior Software QA Engineer",
  "Senior Tax Accountant",
  "Account Manager",
  "Head of Legal",
  "Attorney Partner",
  "CFO",
  "Driver",
];
export const COMPANIES = ["Acme Corp", "Globex", "Zoë & Søn"];
/** 24 distinct pairs, each asked twice. */
export const PAIRS = [...COMPANIES.flatMap((company) => TITLES.map((title) => ({ company, title })))].flatMap(
  (pair) => [pair, pair],
);
export const DISTINCT = COMPANIES.length * TITLES.length;
