/** The records of JSON Lines text (one JSON value a line, each line ended by "\n"); [] for "". */
export function jsonLines<T>(text: string): T[] {
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as T);
}
