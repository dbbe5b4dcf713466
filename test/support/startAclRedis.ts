import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCertificates, type GeneratedCertificates, RedisServer } from "@seniority/testkit";

/** The checked-in least-privilege ACL (docs/security.md#the-redis-acl). */
const REDIS_ACL_FILE = fileURLToPath(new URL("../../deploy/redis/users.acl", import.meta.url));

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * A real redis-server as deployed: TLS only, client certificates required (openssl certificates
 * in `dir`), and deploy/redis/users.acl with each named user's password hash appended (as
 * docs/security.md says to deploy it) plus a test superuser `admin` (to probe, inspect and clean
 * up; not part of the deployed file).
 */
export async function startAclRedis(
  dir: string,
  passwords: Record<string, string>,
  admin: { user: string; password: string },
): Promise<{ redis: RedisServer; certs: GeneratedCertificates }> {
  const certs = generateCertificates(dir);
  const lines = readFileSync(REDIS_ACL_FILE, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const user = /^user (\S+) /.exec(line)?.[1];
      const password = user === undefined ? undefined : passwords[user];
      return password === undefined ? line : `${line} #${sha256(password)}`;
    });
  const aclFile = join(dir, "users.acl");
  writeFileSync(
    aclFile,
    [...lines, `user ${admin.user} on #${sha256(admin.password)} ~* &* +@all`, ""].join("\n"),
  );
  const redis = await RedisServer.start({
    tls: {
      cert: certs.serverCert,
      key: certs.serverKey,
      ca: certs.ca,
      client: { cert: certs.clientCert, key: certs.clientKey },
    },
    aclFile,
    probe: { username: admin.user, password: admin.password },
  });
  return { redis, certs };
}
