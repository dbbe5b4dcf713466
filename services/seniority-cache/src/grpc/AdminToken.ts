import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/**
 * The admin API's bearer token, read from a file (a Kubernetes secret volume, mode 0400). The file
 * is re-read when it changes (its inode, size or mtime: a secret update swaps the mounted symlink),
 * checked on each admin call, so a rotated token takes effect without a restart. A file that
 * becomes unreadable or empty keeps refusing every call until it is fixed (never "no token").
 * The token itself never appears in a message.
 */
export class AdminToken {
  private digest: Buffer | undefined;
  private version = "";

  private constructor(readonly path: string) {}

  /** Reads `path` now; throws (naming the file, not its content) when unreadable or empty. */
  static open(path: string): AdminToken {
    const token = new AdminToken(path);
    const problem = token.refresh();
    if (problem) throw new Error(`admin token file ${path}: ${problem}`);
    return token;
  }

  /** True when `presented` is the current token; compared in constant time (SHA-256 of both). */
  matches(presented: string): boolean {
    this.refresh();
    if (!this.digest) return false;
    return timingSafeEqual(this.digest, sha256(presented));
  }

  /** Re-reads the file when it changed; returns what is wrong with it, if anything. */
  private refresh(): string | undefined {
    try {
      const stat = statSync(this.path);
      const version = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      if (version === this.version && this.digest) return undefined;
      const token = readFileSync(this.path, "utf8").trim();
      this.version = version;
      if (token.length === 0) {
        this.digest = undefined;
        return "the file is empty";
      }
      this.digest = sha256(token);
      return undefined;
    } catch (error) {
      this.digest = undefined;
      this.version = "";
      return (error as NodeJS.ErrnoException).code ?? "unreadable";
    }
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
