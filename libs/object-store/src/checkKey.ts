/** S3's limit on a key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/**
 * Validates an object key so that both backends accept the same keys: "/"-separated segments,
 * none empty, "." or "..", and none starting with "." (the local store hides dot-files: its
 * sidecars and temp files). Returns the key unchanged.
 */
export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new Error(`invalid object key ${JSON.stringify(key)}: ${problem}`);
  return key;
}

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return "empty";
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes("\0") || key.includes("\\")) return "contains NUL or a backslash";
  for (const segment of key.split("/")) {
    if (segment === "") return "empty path segment (leading, trailing or double slash)";
    if (segment.startsWith(".")) return `segment "${segment}" starts with "."`;
  }
  return undefined;
}
