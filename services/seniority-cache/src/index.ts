export type { Store, StoreEntry } from "./store/Store.js";
