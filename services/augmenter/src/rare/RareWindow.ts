/**
 * How far back "a pair seen N times" looks (the rare-pair policy): a span of stream time (the
 * files' names are their unix timestamps: "1721183934.jsonl") or a number of files processed.
 */
export type RareWindow = { kind: "duration"; ms: number } | { kind: "files"; files: number };

/** Default `--rare-window`: an hour of the stream (60 minute files). */
export const DEFAULT_RARE_WINDOW: RareWindow = { kind: "duration", ms: 3_600_000 };

/** The window's length in its own unit: ms of stream time, or files. */
export function windowSpan(window: RareWindow): number {
  return window.kind === "duration" ? window.ms : window.files;
}

/** "1h" / "60 files", for logs and the summary. */
export function describeWindow(window: RareWindow): string {
  return window.kind === "files" ? `${window.files} files` : `${window.ms / 1000}s`;
}
