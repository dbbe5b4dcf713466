import { afterAll, beforeAll } from "vitest";
import type { Closable } from "./startAll.js";

/**
 * Something the current suite starts once (a FakeModel, a ModelSim, …): `start` runs in a
 * beforeAll, its close() in an afterAll. The accessor returned throws, naming `what`, when called
 * before it started (at collection, outside hooks and tests).
 */
export function useStarted<T extends Closable>(what: string, start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => void (started = await start()));
  afterAll(() => started?.close());
  return () => started ?? notYet(what);
}

function notYet(what: string): never {
  throw new Error(`${what} starts in beforeAll: use it in a hook or a test`);
}
