import { readFileSync } from "node:fs";

/**
 * How a Redis connection authenticates, beyond its URL: TLS material for `rediss://` (a private CA,
 * a client certificate) and the ACL user's password. The user name stays in the URL
 * (`rediss://seniority-cache@redis:6380`): it is not a secret. The password comes from a file
 * (a secret volume), so it is never on a command line or in an environment dump.
 */
export interface RedisSecurity {
  /** PEM contents; applied to rediss:// connections only. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  password?: string;
}

/** The files naming RedisSecurity, as the `--redis-*` flags give them. */
export interface RedisSecurityFiles {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  passwordFile?: string;
}

/** A bad --redis-* flag: its message names the flag (and the file, never its content). */
export class RedisSecurityError extends Error {
  override readonly name = "RedisSecurityError";
}

/**
 * Reads the files of `files` and checks them against the Redis URLs in use (`urls`, undefined
 * entries ignored): TLS files need a rediss:// URL (never silently plaintext), a client certificate
 * needs its key, and a password is given by the URL or by the file, not both.
 */
export function readRedisSecurity(
  files: RedisSecurityFiles,
  urls: readonly (string | undefined)[],
): RedisSecurity {
  const redis = urls.filter(
    (url): url is string => url !== undefined && /^(redis|rediss|redis-cluster):\/\//.test(url),
  );
  const tlsFlags = (["tlsCa", "tlsCert", "tlsKey"] as const).filter((name) => files[name] !== undefined);
  const given = [...tlsFlags, ...(files.passwordFile !== undefined ? ["passwordFile" as const] : [])];
  if (given.length > 0 && redis.length === 0) {
    throw new RedisSecurityError(`${FLAGS[given[0]!]} needs a Redis URL (redis:// or rediss://)`);
  }
  if ((files.tlsCert === undefined) !== (files.tlsKey === undefined)) {
    throw new RedisSecurityError("--redis-tls-cert and --redis-tls-key go together");
  }
  if (tlsFlags.length > 0 && !redis.some((url) => url.startsWith("rediss://"))) {
    throw new RedisSecurityError(`${FLAGS[tlsFlags[0]!]} needs a rediss:// URL (TLS)`);
  }
  const security: RedisSecurity = {};
  if (tlsFlags.length > 0) {
    security.tls = {};
    for (const name of tlsFlags) security.tls[TLS_FIELD[name]] = readFlagFile(name, files[name]!);
  }
  if (files.passwordFile !== undefined) {
    if (redis.some(hasUrlPassword)) {
      throw new RedisSecurityError("--redis-password-file: the Redis URL has a password too; give only one");
    }
    const password = readFlagFile("passwordFile", files.passwordFile)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    if (password.length === 0)
      throw new RedisSecurityError(`--redis-password-file: ${files.passwordFile} is empty`);
    security.password = password;
  }
  return security;
}

const FLAGS = {
  tlsCa: "--redis-tls-ca",
  tlsCert: "--redis-tls-cert",
  tlsKey: "--redis-tls-key",
  passwordFile: "--redis-password-file",
} as const;

const TLS_FIELD = { tlsCa: "ca", tlsCert: "cert", tlsKey: "key" } as const;

function readFlagFile(name: keyof typeof FLAGS, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new RedisSecurityError(
      `${FLAGS[name]}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

function hasUrlPassword(url: string): boolean {
  const authority = url.replace(/^[a-z-]+:\/\//, "").split("/")[0]!;
  const at = authority.lastIndexOf("@");
  return at >= 0 && authority.slice(0, at).includes(":");
}

/**
 * The URL and ioredis options of one redis:// or rediss:// connection under `security`. With a
 * password from a file, the user moves from the URL into the options (ioredis would otherwise take
 * the URL's empty password over the option's); TLS material goes to rediss:// URLs only.
 */
export function redisConnection(
  url: string,
  security: RedisSecurity = {},
): { url: string; options: { username?: string; password?: string; tls?: RedisSecurity["tls"] } } {
  const tls = security.tls && url.startsWith("rediss://") ? { tls: { ...security.tls } } : {};
  if (security.password === undefined) return { url, options: tls };
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username);
  parsed.username = "";
  parsed.password = "";
  return {
    url: parsed.toString(),
    options: { ...tls, ...(username ? { username } : {}), password: security.password },
  };
}

/** The --redis-tls-* and --redis-password-file flags of a command (the cache's and the augmenter's are the same). */
export function redisSecurityFiles(flags: {
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
}): RedisSecurityFiles {
  return {
    ...(flags.redisTlsCa !== undefined ? { tlsCa: flags.redisTlsCa } : {}),
    ...(flags.redisTlsCert !== undefined ? { tlsCert: flags.redisTlsCert } : {}),
    ...(flags.redisTlsKey !== undefined ? { tlsKey: flags.redisTlsKey } : {}),
    ...(flags.redisPasswordFile !== undefined ? { passwordFile: flags.redisPasswordFile } : {}),
  };
}
