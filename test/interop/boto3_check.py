#!/usr/bin/env python3
"""Independent check of the augmenter's results with boto3 (Debian: python3-boto3).

For every *.jsonl input under --input, reads the output and the errors object and checks:
  - every input line is either in the output (in order) or in the errors object (by line number);
  - each output line is its input line with the seniority spliced in: when the input has no
    top-level "seniority", exactly `,"seniority":N` inserted after the last member; otherwise the
    parsed objects match, with seniority replaced;
  - N is the level --levels gives for the line's title (a JSON file: {"title": level});
  - in = out + bad, and the output's metadata (lines-in/out/bad, source-etag) agrees.
Endpoint and credentials come from the standard AWS variables (AWS_ENDPOINT_URL_S3, ...).
Prints a JSON report on stdout; exits 0 when every file checks out, 1 otherwise.
"""
import argparse
import json
import os
import sys

import boto3
from botocore.config import Config


def lines_of(data: bytes) -> list:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data:
        return []
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def expected_line(raw: bytes, level: int) -> bytes:
    text = raw.decode("utf-8")
    close = text.rindex("}")
    at = len(text[:close].rstrip(" \t\r\n"))
    return (text[:at] + ',"seniority":%d' % level + text[at:]).encode("utf-8")


def check_file(s3, bucket, key, prefixes, levels) -> list:
    problems = []
    raw_obj = s3.get_object(Bucket=bucket, Key=prefixes["input"] + key)
    etag = raw_obj["ETag"].strip('"')
    inputs = lines_of(raw_obj["Body"].read())
    out_obj = s3.get_object(Bucket=bucket, Key=prefixes["output"] + key)
    outputs = lines_of(out_obj["Body"].read())
    meta = out_obj["Metadata"]
    errors_body = s3.get_object(Bucket=bucket, Key=prefixes["errors"] + key)["Body"].read()
    bad = {json.loads(line)["line"] for line in lines_of(errors_body)}
    if len(inputs) != len(outputs) + len(bad):
        problems.append("in %d != out %d + bad %d" % (len(inputs), len(outputs), len(bad)))
    want_meta = {"source-etag": etag, "lines-in": str(len(inputs)), "lines-out": str(len(outputs)), "lines-bad": str(len(bad))}
    if meta != want_meta:
        problems.append("metadata %r != %r" % (meta, want_meta))
    out_iter = iter(outputs)
    for number, raw in enumerate(inputs, start=1):
        if number in bad:
            continue
        out = next(out_iter, None)
        if out is None:
            problems.append("line %d: missing from the output" % number)
            break
        record = json.loads(raw.decode("utf-8"))
        level = levels.get(record["title"])
        if level is None:
            problems.append("line %d: no expected level for title %r" % (number, record["title"]))
            continue
        if "seniority" in record:
            if json.loads(out.decode("utf-8")) != dict(record, seniority=level):
                problems.append("line %d: %r is not %r plus seniority %d" % (number, out, raw, level))
        elif out != expected_line(raw, level):
            problems.append("line %d: %r != %r" % (number, out, expected_line(raw, level)))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--input", required=True, help="input prefix, e.g. job-postings-raw/")
    parser.add_argument("--output", required=True)
    parser.add_argument("--errors", required=True)
    parser.add_argument("--levels", required=True, help="JSON file: title -> expected level")
    args = parser.parse_args()
    with open(args.levels, encoding="utf-8") as handle:
        levels = json.load(handle)
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3"),
        config=Config(s3={"addressing_style": "path"}),
    )
    prefixes = {"input": args.input, "output": args.output, "errors": args.errors}
    report = {"files": 0, "problems": {}}
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=args.bucket, Prefix=args.input):
        for item in page.get("Contents", []):
            key = item["Key"][len(args.input):]
            if not key.endswith(".jsonl"):
                continue
            report["files"] += 1
            problems = check_file(s3, args.bucket, key, prefixes, levels)
            if problems:
                report["problems"][key] = problems[:10]
    print(json.dumps(report))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
