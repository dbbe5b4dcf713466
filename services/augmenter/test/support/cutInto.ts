/** `bytes` cut into consecutive chunks of the given lengths (clamped at the end), then the rest. */
export function cutInto(bytes: Buffer, lengths: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const length of lengths) {
    chunks.push(bytes.subarray(at, Math.min(bytes.length, at + length)));
    at = Math.min(bytes.length, at + length);
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}
