import { basename, dirname, join } from "node:path";

/** Name of the errors folder created beside the output folder by default. */
export const ERRORS_FOLDER = "job-postings-errors";

/**
 * The default `--errors` location: a `job-postings-errors/` sibling of the output folder
 * (s3://rl-data/job-postings-mod/ → s3://rl-data/job-postings-errors/; /data/mod → /data/job-postings-errors).
 */
export function defaultErrorsLocation(output: string): string {
  const s3 = /^(s3:\/\/[^/]+\/)(.*)$/i.exec(output.trim());
  if (s3) {
    const parts = s3[2]!.split("/").filter((part) => part !== "");
    parts.pop();
    return `${s3[1]}${[...parts, ERRORS_FOLDER].join("/")}/`;
  }
  if (/^s3:\/\/[^/]+$/i.test(output.trim())) return `${output.trim()}/${ERRORS_FOLDER}/`;
  const file = /^file:\/\//i.test(output);
  const path = file ? new URL(output).pathname : output;
  const sibling = join(dirname(path.replace(/\/+$/, "") || "/"), ERRORS_FOLDER);
  return file ? `file://${sibling}` : sibling;
}

/** A file URI split into its folder (an object store location) and its key (the file name). */
export function splitFileUri(uri: string): { location: string; key: string } {
  const trimmed = uri.trim();
  if (trimmed.endsWith("/")) throw new Error(`not a file URI: "${uri}"`);
  const s3 = /^(s3:\/\/[^/]+\/(?:.*\/)?)([^/]+)$/i.exec(trimmed);
  if (s3) return { location: s3[1]!, key: s3[2]! };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !/^file:\/\//i.test(trimmed)) {
    throw new Error(
      `unsupported file URI "${uri}" (s3://bucket/prefix/name.jsonl, file:///dir/name.jsonl or a path)`,
    );
  }
  const path = /^file:\/\//i.test(trimmed) ? new URL(trimmed).pathname : trimmed;
  if (basename(path) === "") throw new Error(`not a file URI: "${uri}"`);
  return { location: dirname(path), key: basename(path) };
}
