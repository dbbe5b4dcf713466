import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/** What useScratch() hands a suite; `root` throws when read outside a test. */
export interface Scratch {
  /** The current test's own temp folder. */
  readonly root: string;
  /** Registers a cleanup for the end of the current test (run in reverse order, before `root` goes). */
  defer(cleanup: () => Promise<void>): void;
}

/**
 * Per test: a fresh temp folder (`<tmpdir>/<prefix>XXXXXX`) and a list of cleanups. After each test
 * the cleanups run last-registered first (closing what holds files in the folder), then the folder
 * is removed, even when a cleanup fails.
 */
export function useScratch(prefix: string): Scratch {
  let root: string | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    try {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
      root = undefined;
    }
  });
  return {
    get root() {
      if (!root) throw new Error("useScratch(): the folder exists only during a test");
      return root;
    },
    defer: (cleanup) => void cleanups.push(cleanup),
  };
}
