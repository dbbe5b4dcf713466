import { afterAll, beforeAll } from "vitest";
import { startStack, type Stack } from "./startStack.js";

/**
 * A served stack (startStack) for the current suite: started in a beforeAll, closed in an
 * afterAll. Each member of what it returns throws when read before the stack started.
 */
export function useStack(options: Parameters<typeof startStack>[0]): Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(async () => {
    await stack?.close();
    stack = undefined;
  });
  const running = (): Stack => {
    if (!stack) throw new Error("useStack(): the stack starts in beforeAll; use it in a hook or a test");
    return stack;
  };
  return {
    get cache() {
      return running().cache;
    },
    get server() {
      return running().server;
    },
    get channel() {
      return running().channel;
    },
    get adminChannel() {
      return running().adminChannel;
    },
    get client() {
      return running().client;
    },
    get admin() {
      return running().admin;
    },
    close: () => running().close(),
  };
}
