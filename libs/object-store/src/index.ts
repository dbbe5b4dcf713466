export type { ObjectStore, ObjectInfo, ObjectMetadata, ListedObject } from "./ObjectStore.js";
