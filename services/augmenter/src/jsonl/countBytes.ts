/** Passes a byte stream through, reporting each chunk's size (for bytes-read accounting). */
export async function* countBytes(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const buffer =
      typeof chunk === "string" ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    onBytes(buffer.length);
    yield buffer;
  }
}
