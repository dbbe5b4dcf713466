import { describe, expect, it } from "vitest";
import { cacheNamespace } from "../src/cacheNamespace.js";
import { parseNamespace } from "../src/parseNamespace.js";

describe("parseNamespace", () => {
  it("inverts cacheNamespace", () => {
    expect(parseNamespace(cacheNamespace("v1", "standard", "model"))).toEqual({
      version: "v1",
      mode: "standard",
      modeTag: "std",
      identity: "model",
      encoding: "k2",
    });
    const hashed = cacheNamespace("model: 2024/07", "casefold", "sim");
    expect(parseNamespace(hashed)).toEqual({
      version: hashed.split(":")[0],
      mode: "casefold",
      modeTag: "cf",
      identity: "sim",
      encoding: "k2",
    });
  });

  it("reads cluster namespaces of any rules version", () => {
    expect(parseNamespace(cacheNamespace("v1", "cluster", "model"))).toMatchObject({
      mode: "cluster",
      modeTag: "cl1",
    });
    expect(parseNamespace("v1:cl7:m:k2")).toMatchObject({ mode: "cluster", modeTag: "cl7" });
  });

  it.each(["", "v1:std:m", "v1:cl:m:k2", "v1:std:x:k2", "v1:low:m:k2", "v1:std:m:k2:extra", "a b:std:m:k2"])(
    "refuses %j",
    (namespace) => {
      expect(() => parseNamespace(namespace)).toThrow(
        `not a cache namespace: "${namespace}" (expected <model version>:<ex|std|cf|cl<n>>:<m|sim>:k<n>, e.g. v1:std:m:k2)`,
      );
    },
  );
});
