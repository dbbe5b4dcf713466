import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AdminToken } from "../src/grpc/AdminToken.js";

describe("AdminToken", () => {
  const dir = mkdtempSync(join(tmpdir(), "seniority-admin-token-"));
  const path = join(dir, "token");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** As a Kubernetes secret update does: a new file renamed over the old one. */
  const replace = (content: string): void => {
    writeFileSync(`${path}.new`, content);
    renameSync(`${path}.new`, path);
  };

  it("refuses to start on a missing or empty file, naming the file and not its content", () => {
    expect(() => AdminToken.open(path)).toThrow(`admin token file ${path}: ENOENT`);
    writeFileSync(path, " \n");
    expect(() => AdminToken.open(path)).toThrow(`admin token file ${path}: the file is empty`);
  });

  it("matches only the exact token; follows rotation; refuses everything while the file is empty or gone", () => {
    writeFileSync(path, "first-token\n");
    const token = AdminToken.open(path);
    expect(["first-token", "first-toke", "first-token2", ""].map((t) => token.matches(t))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    replace("second-token\n");
    expect([token.matches("first-token"), token.matches("second-token")]).toEqual([false, true]);
    replace("");
    expect([token.matches(""), token.matches("second-token")]).toEqual([false, false]);
    unlinkSync(path);
    expect(token.matches("second-token")).toBe(false);
    replace("third-token");
    expect(token.matches("third-token")).toBe(true);
  });
});
