import type { FileLease, FileLeases } from "./FileLeases.js";

/** No coordination (the default: one replica): every file's "lease" is granted at once, never lost. */
export class NoLeases implements FileLeases {
  acquire(_key: string): Promise<FileLease> {
    // A signal of its own per file, so listeners of files in progress never pile up on one signal.
    return Promise.resolve({ signal: new AbortController().signal, release: () => Promise.resolve() });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
