import { basename, dirname } from "node:path";

/** Appended to the output folder's own name to make the default errors folder. */
export const ERRORS_SUFFIX = "-errors";

/**
 * The default `--errors` location, derived from the output's own prefix so that different outputs
 * never share an errors folder: s3://rl-data/job-postings-mod/ → s3://rl-data/job-postings-mod-errors/,
 * /data/mod → /data/mod-errors; an output at a bucket's root → s3://bucket/errors/ (output keys are
 * file names, so they never fall under it).
 */
export function defaultErrorsLocation(output: string): string {
  const trimmed = output.trim();
  const s3 = /^(s3:\/\/[^/]+)(?:\/(.*))?$/i.exec(trimmed);
  if (s3) {
    const prefix = (s3[2] ?? "").replace(/\/+$/, "");
    return prefix === "" ? `${s3[1]}/errors/` : `${s3[1]}/${prefix}${ERRORS_SUFFIX}/`;
  }
  const file = /^file:\/\//i.test(trimmed);
  const path = (file ? new URL(trimmed).pathname : trimmed).replace(/\/+$/, "");
  const errors = path === "" ? "/errors" : `${path}${ERRORS_SUFFIX}`;
  return file ? `file://${errors}` : errors;
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
