import type { S3Options } from "./createS3Client.js";
import { LocalDirObjectStore } from "./LocalDirObjectStore.js";
import type { ObjectStore } from "./ObjectStore.js";
import { parseLocation } from "./parseLocation.js";
import { S3ObjectStore } from "./S3ObjectStore.js";

export interface OpenObjectStoreOptions {
  s3?: S3Options;
}

/** Opens the store a location names (see parseLocation for the accepted forms and errors). */
export function openObjectStore(location: string, options: OpenObjectStoreOptions = {}): ObjectStore {
  const parsed = parseLocation(location);
  if (parsed.kind === "local") return new LocalDirObjectStore(parsed.dir);
  return new S3ObjectStore({ ...options.s3, bucket: parsed.bucket, prefix: parsed.prefix });
}
