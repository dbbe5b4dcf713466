import { fileURLToPath } from "node:url";

/** Where a location points: an S3 bucket and key prefix ("" or ending in "/"), or a local directory. */
export type ParsedLocation = { kind: "s3"; bucket: string; prefix: string } | { kind: "local"; dir: string };

const ACCEPTED = "accepted: s3://bucket/prefix/, file:///abs/dir, or a local directory path";
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket/prefix/` (prefix optional; a trailing "/" is implied), `file:///dir`, or a
 * relative or absolute directory path. Anything else throws an Error naming the location and the
 * accepted forms. Touches nothing (no network, no file system).
 */
export function parseLocation(location: string): ParsedLocation {
  const trimmed = location.trim();
  if (trimmed === "") throw new Error(`empty object store location (${ACCEPTED})`);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "local", dir: trimmed };
  if (scheme === "file") {
    try {
      return { kind: "local", dir: fileURLToPath(trimmed) };
    } catch (error) {
      throw new Error(
        `invalid object store location "${location}": ${(error as Error).message} (${ACCEPTED})`,
        { cause: error },
      );
    }
  }
  if (scheme !== "s3") throw new Error(`unsupported object store location "${location}" (${ACCEPTED})`);
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(trimmed);
  const bucket = match?.[1] ?? "";
  if (bucket === "") throw new Error(`invalid object store location "${location}": no bucket (${ACCEPTED})`);
  if (!BUCKET.test(bucket))
    throw new Error(
      `invalid object store location "${location}": invalid S3 bucket name "${bucket}" (${ACCEPTED})`,
    );
  const prefix = match?.[2] ?? "";
  return { kind: "s3", bucket, prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/` };
}
