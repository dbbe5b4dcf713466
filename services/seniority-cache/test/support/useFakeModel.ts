import { afterAll, beforeAll } from "vitest";
import { FakeModel, type FakeReply } from "../../../../libs/seniority-cache/test/support/FakeModel.js";

/** The scripted model as a suite sees it: where it listens, what it was asked, what it answers. */
export type FakeModelFixture = Pick<FakeModel, "address" | "requests" | "reply">;

/**
 * A FakeModel (a real gRPC server whose replies a test scripts) for the current suite: started in a
 * beforeAll, closed in an afterAll. Each member throws when used before the model started.
 */
export function useFakeModel(): FakeModelFixture {
  let model: FakeModel | undefined;
  beforeAll(async () => {
    model = await FakeModel.start();
  });
  afterAll(async () => {
    await model?.close();
    model = undefined;
  });
  const running = (): FakeModel => {
    if (!model) throw new Error("useFakeModel(): the model starts in beforeAll; use it in a hook or a test");
    return model;
  };
  return {
    get address() {
      return running().address;
    },
    get requests() {
      return running().requests;
    },
    get reply() {
      return running().reply;
    },
    set reply(reply: FakeReply) {
      running().reply = reply;
    },
  };
}
