export type { ObjectStore, ObjectInfo, ObjectMetadata, ListedObject } from "./ObjectStore.js";
export { ObjectNotFoundError } from "./ObjectNotFoundError.js";
export { LocalDirObjectStore } from "./LocalDirObjectStore.js";
export {
  S3ObjectStore,
  type S3ObjectStoreOptions,
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_UPLOAD_QUEUE_SIZE,
} from "./S3ObjectStore.js";
export { createS3Client, type S3Options, DEFAULT_S3_MAX_ATTEMPTS } from "./createS3Client.js";
export { openObjectStore, type OpenObjectStoreOptions } from "./openObjectStore.js";
export { parseLocation, type ParsedLocation } from "./parseLocation.js";
export { checkKey } from "./checkKey.js";
export { checkMetadata } from "./checkMetadata.js";
