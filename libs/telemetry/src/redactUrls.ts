// scheme://userinfo@ — the userinfo runs to the LAST "@" of the URL's token (which ends at
// whitespace, a quote, an angle bracket or a backslash), so a password holding an unescaped "@",
// "/" or ":" is hidden whole. Hiding part of a path that contains "@" is the safe side to err on.
const CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'`<>\\]*)@/gi;

/**
 * `text` with the credentials of every URL in it hidden: `redis://:s3cret@host:6379` →
 * `redis://:***@host:6379`, `rediss://user:pw@h` → `rediss://user:***@h`, `redis-cluster://u:p@a:1,b:2`
 * → `redis-cluster://u:***@a:1,b:2`, `redis://token@h` → `redis://***@h`. The one redaction of
 * the project: every log line (createLogger) and every CLI error that may print a URL goes
 * through it. Text without "://" is returned as is (cheap for ordinary lines).
 */
export function redactUrls(text: string): string {
  if (!text.includes("://")) return text;
  return text.replace(CREDENTIALS, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return `${scheme}${colon === -1 ? "***" : `${userinfo.slice(0, colon)}:***`}@`;
  });
}
