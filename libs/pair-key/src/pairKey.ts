import { hash } from "node:crypto";
import type { NormalizationMode } from "./NormalizationMode.js";
import { normalizeText } from "./normalizeText.js";

/** Bytes in a pair key (128 bits). */
export const PAIR_KEY_BYTES = 16;

/**
 * The 16-byte cache key of a (company, title) pair under `mode`: MD5 over
 * `uint32be(utf8 length of company) ‖ company ‖ title` (both normalized, UTF-8). The length prefix
 * makes the framing unambiguous ("ab"+"c" ≠ "a"+"bc"). MD5 is used as a fast, well-spread 128-bit
 * hash, not for security: keys come from our own inputs, and at 128 bits accidental collisions are
 * negligible (≈ n²/2¹²⁹ ≈ 6·10⁻²⁵ for 20M pairs). The mode is mixed in through the namespace
 * (cacheNamespace), not the key.
 *
 * Throws a TypeError for a string that is not well-formed Unicode (a lone surrogate, e.g. from a
 * JSON "\ud800" escape): UTF-8 has no bytes for it (it would be written as U+FFFD, the key of
 * another pair), and no protobuf message can carry it to the model. Callers reject such input first.
 */
export function pairKey(company: string, title: string, mode: NormalizationMode): Buffer {
  if (!company.isWellFormed() || !title.isWellFormed()) {
    throw new TypeError(`${company.isWellFormed() ? "title" : "company"} is not well-formed Unicode`);
  }
  const c = normalizeText(company, mode, "company");
  const t = normalizeText(title, mode, "title");
  const cLen = Buffer.byteLength(c, "utf8");
  const frame = Buffer.allocUnsafe(4 + cLen + Buffer.byteLength(t, "utf8"));
  frame.writeUInt32BE(cLen, 0);
  frame.write(c, 4, "utf8");
  frame.write(t, 4 + cLen, "utf8");
  // One-shot crypto.hash (Node ≥ 20.12) avoids a Hash object per key.
  return hash("md5", frame, "buffer");
}
