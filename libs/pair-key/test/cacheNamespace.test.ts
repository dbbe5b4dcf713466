import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cacheNamespace } from "../src/cacheNamespace.js";
import { MODEL_IDENTITIES, type ModelIdentity } from "../src/ModelIdentity.js";
import { NORMALIZATION_MODES, type NormalizationMode } from "../src/NormalizationMode.js";

describe("cacheNamespace", () => {
  it("is short and readable for ordinary versions", () => {
    expect(cacheNamespace("v1", "standard", "model")).toBe("v1:std:m:k2");
    expect(cacheNamespace("2024.06-rc_1", "exact", "model")).toBe("2024.06-rc_1:ex:m:k2");
    expect(cacheNamespace("v1", "casefold", "model")).toBe("v1:cf:m:k2");
    expect(cacheNamespace("v1", "cluster", "model")).toBe("v1:cl1:m:k2");
  });

  it("keeps simulated answers apart from the model's", () => {
    expect(cacheNamespace("v1", "standard", "sim")).toBe("v1:std:sim:k2");
    expect(cacheNamespace("v1", "standard", "sim")).not.toBe(cacheNamespace("v1", "standard", "model"));
  });

  it("hashes versions with unsafe characters", () => {
    expect(cacheNamespace("v1:std", "standard", "model")).toMatch(/^~[0-9a-f]{16}:std:m:k2$/);
    expect(cacheNamespace("{x} y", "standard", "sim")).toMatch(/^~[0-9a-f]{16}:std:sim:k2$/);
  });

  it("is safe in Redis hash tags and distinct per (version, mode, model)", () => {
    const version = fc.string({ unit: "binary", minLength: 1, maxLength: 50 });
    const mode = fc.constantFrom(...NORMALIZATION_MODES);
    const model = fc.constantFrom(...MODEL_IDENTITIES);
    fc.assert(
      fc.property(version, mode, model, version, mode, model, (v1, m1, i1, v2, m2, i2) => {
        const a = cacheNamespace(v1, m1, i1);
        expect(a).toMatch(/^[A-Za-z0-9._~:-]{9,}$/);
        expect(a.length).toBeLessThanOrEqual(51);
        if (v1 !== v2 || m1 !== m2 || i1 !== i2) expect(a).not.toBe(cacheNamespace(v2, m2, i2));
      }),
    );
  });

  it("rejects an empty version, an unknown mode and an unknown model identity", () => {
    expect(() => cacheNamespace("", "standard", "model")).toThrow("modelVersion must not be empty");
    expect(() => cacheNamespace("v1", "nfc" as NormalizationMode, "model")).toThrow(
      'unknown normalization mode "nfc"',
    );
    expect(() => cacheNamespace("v1", "standard", "fake" as ModelIdentity)).toThrow(
      'unknown model identity "fake" (expected one of: model, sim)',
    );
  });
});
