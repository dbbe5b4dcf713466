/** Keeps the last `limit` characters of a stream (default 8 KiB) for error messages. */
export class TailBuffer {
  private text = "";
  constructor(private readonly limit = 8192) {}

  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }

  toString(): string {
    return this.text.slice(-this.limit);
  }
}
