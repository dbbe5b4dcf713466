/**
 * At most `maxBytes` of UTF-8 as a string, cut before a partial character. Invalid bytes become
 * U+FFFD (the excerpt is for people reading the errors object; the line itself is not kept).
 */
export function utf8Excerpt(bytes: Buffer, maxBytes = 1024): string {
  if (bytes.length <= maxBytes) return bytes.toString("utf8");
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && end > maxBytes - 3 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
