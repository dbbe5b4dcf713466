import type { ObjectMetadata } from "./ObjectStore.js";

/** S3's limit on user metadata (names plus values), in bytes. */
const MAX_METADATA_BYTES = 2048;
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const VALUE = /^[\x20-\x7e]*$/;

/**
 * Validates metadata so that it round-trips unchanged through both backends: S3 lower-cases
 * names and mangles non-ASCII values (they travel as HTTP headers), so names must be lower-case
 * `[a-z0-9-]` and values printable ASCII; at most 2 KiB in all.
 */
export function checkMetadata(metadata: ObjectMetadata): ObjectMetadata {
  let bytes = 0;
  for (const [name, value] of Object.entries(metadata)) {
    if (!NAME.test(name))
      throw new Error(`invalid metadata name ${JSON.stringify(name)}: use lower-case [a-z0-9-]`);
    if (typeof value !== "string" || !VALUE.test(value)) {
      throw new Error(`invalid metadata value for "${name}": must be printable ASCII`);
    }
    bytes += name.length + value.length;
  }
  if (bytes > MAX_METADATA_BYTES)
    throw new Error(`metadata too large: ${bytes} bytes (limit ${MAX_METADATA_BYTES})`);
  return metadata;
}
