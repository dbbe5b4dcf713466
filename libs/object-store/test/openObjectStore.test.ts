import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalDirObjectStore } from "../src/LocalDirObjectStore.js";
import { openObjectStore } from "../src/openObjectStore.js";
import { S3ObjectStore } from "../src/S3ObjectStore.js";

const ACCEPTED = "(accepted: s3://bucket/prefix/, file:///abs/dir, or a local directory path)";

describe("openObjectStore", () => {
  it("opens s3:// locations with the prefix ending in '/'", async () => {
    const options = { s3: { region: "us-east-1", endpoint: "http://127.0.0.1:1" } };
    const cases: [string, string, string][] = [
      ["s3://rl-data/job-postings-raw/", "rl-data", "job-postings-raw/"],
      ["s3://rl-data/job-postings-raw", "rl-data", "job-postings-raw/"],
      ["s3://rl-data/a/b/", "rl-data", "a/b/"],
      ["s3://rl-data", "rl-data", ""],
      ["S3://rl-data/", "rl-data", ""],
    ];
    for (const [location, bucket, prefix] of cases) {
      const store = openObjectStore(location, options);
      expect(store).toBeInstanceOf(S3ObjectStore);
      expect([(store as S3ObjectStore).bucket, (store as S3ObjectStore).prefix]).toEqual([bucket, prefix]);
      expect(store.location).toBe(`s3://${bucket}/${prefix}`);
      await store.close();
    }
  });

  it("opens relative, absolute and file:// paths as local directories", () => {
    expect(openObjectStore("data/raw")).toBeInstanceOf(LocalDirObjectStore);
    expect(openObjectStore("data/raw").location).toBe(resolve("data/raw"));
    expect(openObjectStore("/tmp/x").location).toBe("/tmp/x");
    expect(openObjectStore("file:///tmp/x%20y").location).toBe(join("/tmp", "x y"));
  });

  it("names the bad location and the accepted forms", () => {
    expect(() => openObjectStore("gs://bucket/x")).toThrow(
      `unsupported object store location "gs://bucket/x" ${ACCEPTED}`,
    );
    expect(() => openObjectStore("s3://")).toThrow(
      `invalid object store location "s3://": no bucket ${ACCEPTED}`,
    );
    expect(() => openObjectStore("s3://Bad_Bucket/x")).toThrow(
      `invalid object store location "s3://Bad_Bucket/x": invalid S3 bucket name "Bad_Bucket" ${ACCEPTED}`,
    );
    expect(() => openObjectStore("file://host/x")).toThrow(
      /^invalid object store location "file:\/\/host\/x": .* \(accepted: /,
    );
    expect(() => openObjectStore("  ")).toThrow(`empty object store location ${ACCEPTED}`);
  });
});
