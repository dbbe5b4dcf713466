import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The checked-in least-privilege ACL (docs/security.md#the-redis-acl). */
export const REDIS_ACL_FILE = fileURLToPath(new URL("../../deploy/redis/users.acl", import.meta.url));

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * deploy/redis/users.acl with each named user's password hash appended, as docs/security.md says
 * to deploy it, plus a test superuser `admin` (to start, probe, inspect and clean up; not part of
 * the deployed file).
 */
export function renderRedisAcl(
  passwords: Record<string, string>,
  admin: { user: string; password: string },
): string {
  const lines = readFileSync(REDIS_ACL_FILE, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const user = /^user (\S+) /.exec(line)?.[1];
      const password = user === undefined ? undefined : passwords[user];
      return password === undefined ? line : `${line} #${sha256(password)}`;
    });
  return [...lines, `user ${admin.user} on #${sha256(admin.password)} ~* &* +@all`, ""].join("\n");
}
