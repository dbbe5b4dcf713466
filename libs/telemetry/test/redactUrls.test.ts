import { describe, expect, it } from "vitest";
import { redactUrls } from "../src/redactUrls.js";

describe("redactUrls", () => {
  it("hides the password (or lone userinfo) of every URL, keeping the user, host and path", () => {
    expect(redactUrls("redis://:hunter2@127.0.0.1:6379")).toBe("redis://:***@127.0.0.1:6379");
    expect(redactUrls("rediss://user:pw@host:6380/2")).toBe("rediss://user:***@host:6380/2");
    expect(redactUrls("redis-cluster://u:pw@a:7000,b:7001")).toBe("redis-cluster://u:***@a:7000,b:7001");
    expect(redactUrls("redis://token@host")).toBe("redis://***@host");
    expect(redactUrls("s3://key:secret@bucket/prefix/")).toBe("s3://key:***@bucket/prefix/");
  });

  it("hides a password holding unescaped '@', '/' or ':' whole", () => {
    expect(redactUrls("redis://:p@ss/wo:rd@host:1")).toBe("redis://:***@host:1");
  });

  it("redacts every URL in a line, inside JSON too, and leaves the rest as it was", () => {
    const line = JSON.stringify({ store: "redis://:a1@h:1", leases: "rediss://u:b2@h:2", n: 3 });
    expect(redactUrls(line)).toBe('{"store":"redis://:***@h:1","leases":"rediss://u:***@h:2","n":3}');
    expect(redactUrls('bad store "redis://:x@h:port" and redis://:y@k')).toBe(
      'bad store "redis://:***@h:port" and redis://:***@k',
    );
    for (const plain of ["redis://127.0.0.1:6379", "s3://rl-data/job-postings-raw/", "a@b c", "lmdb:./x"]) {
      expect(redactUrls(plain)).toBe(plain);
    }
  });
});
