import type { FileLease, FileLeases } from "./FileLeases.js";

/** A lease that is never lost, for a single replica. */
const NO_LEASE: FileLease = {
  signal: new AbortController().signal,
  release: () => Promise.resolve(),
};

/** No coordination (the default: one replica): every file's "lease" is granted at once. */
export class NoLeases implements FileLeases {
  acquire(_key: string): Promise<FileLease> {
    return Promise.resolve(NO_LEASE);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
