import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { dialAddress } from "../src/parsers.js";

describe("dialAddress", () => {
  it.each([
    ["proxy:50052", "proxy:50052"],
    [" HTTPS://proxy:50052 ", "https://proxy:50052"],
    [
      "dns:///seniority-cache-headless.ns.svc.cluster.local:50052",
      "dns:///seniority-cache-headless.ns.svc.cluster.local:50052",
    ],
    ["DNS:///proxy:1", "dns:///proxy:1"],
  ])("accepts %s", (value, expected) => {
    expect(dialAddress(value)).toBe(expected);
  });

  it.each(["proxy", "dns://proxy:1", "dns:///proxy", "http://proxy:1", "proxy:70000"])(
    "refuses %s",
    (value) => {
      expect(() => dialAddress(value)).toThrow(InvalidArgumentError);
      expect(() => dialAddress(value)).toThrow(
        `expected host:port, https://host:port or dns:///host:port, got "${value}".`,
      );
    },
  );
});
