import { DEFAULT_STORE_SPEC } from "@seniority/seniority-cache";
import { describe, expect, it } from "vitest";
import { DEFAULT_DEMO_DIR, defaultDemoStore } from "../src/demo/createDemoCommand.js";

describe("the demo's default store", () => {
  it("lives in the demo's own folder, never in augment's default store", () => {
    expect(defaultDemoStore(DEFAULT_DEMO_DIR)).toBe("lmdb:./.seniority/demo/cache");
    expect(defaultDemoStore("/tmp/my-demo/")).toBe("lmdb:/tmp/my-demo/cache");
    expect(defaultDemoStore(DEFAULT_DEMO_DIR)).not.toBe(DEFAULT_STORE_SPEC);
  });
});
