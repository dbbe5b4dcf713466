/** Which string of a (company, title) pair a text is: the `cluster` mode has rules for each. */
export type PairField = "company" | "title";
