import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cacheNamespace } from "../src/cacheNamespace.js";
import { NORMALIZATION_MODES, type NormalizationMode } from "../src/NormalizationMode.js";

describe("cacheNamespace", () => {
  it("is short and readable for ordinary versions", () => {
    expect(cacheNamespace("v1", "standard")).toBe("v1:std:k2");
    expect(cacheNamespace("2024.06-rc_1", "exact")).toBe("2024.06-rc_1:ex:k2");
    expect(cacheNamespace("v1", "casefold")).toBe("v1:cf:k2");
  });

  it("hashes versions with unsafe characters", () => {
    expect(cacheNamespace("v1:std", "standard")).toMatch(/^~[0-9a-f]{16}:std:k2$/);
    expect(cacheNamespace("{x} y", "standard")).toMatch(/^~[0-9a-f]{16}:std:k2$/);
  });

  it("is safe in Redis hash tags and distinct per (version, mode)", () => {
    const version = fc.string({ unit: "binary", minLength: 1, maxLength: 50 });
    const mode = fc.constantFrom(...NORMALIZATION_MODES);
    fc.assert(
      fc.property(version, mode, version, mode, (v1, m1, v2, m2) => {
        const a = cacheNamespace(v1, m1);
        expect(a).toMatch(/^[A-Za-z0-9._~:-]{4,}$/);
        expect(a.length).toBeLessThanOrEqual(47);
        if (v1 !== v2 || m1 !== m2) expect(a).not.toBe(cacheNamespace(v2, m2));
      }),
    );
  });

  it("rejects an empty version and an unknown mode", () => {
    expect(() => cacheNamespace("", "standard")).toThrow("modelVersion must not be empty");
    expect(() => cacheNamespace("v1", "nfc" as NormalizationMode)).toThrow(
      'unknown normalization mode "nfc"',
    );
  });
});
