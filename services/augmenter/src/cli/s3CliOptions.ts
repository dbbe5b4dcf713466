import { boolean, integer } from "@seniority/cli-options";
import { DEFAULT_S3_MAX_ATTEMPTS, type S3Options } from "@seniority/object-store";
import { InvalidArgumentError, Option } from "commander";

/** The values commander parses from the options of s3CliOptions(), as `command.opts()` holds them. */
export interface S3CliValues {
  s3Endpoint?: string;
  s3ForcePathStyle?: boolean;
  s3MaxAttempts?: number;
}

/**
 * The S3 flags every command that takes an s3:// location adds (`command.addOption(...)` each):
 * --s3-endpoint (SENIORITY_S3_ENDPOINT), --s3-force-path-style [bool] (SENIORITY_S3_FORCE_PATH_STYLE),
 * --s3-max-attempts (SENIORITY_S3_MAX_ATTEMPTS). Region and credentials come from the standard AWS
 * variables (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, …), the endpoint also from AWS_ENDPOINT_URL_S3.
 */
export function s3CliOptions(): Option[] {
  return [
    new Option("--s3-endpoint <url>", "S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)")
      .env("SENIORITY_S3_ENDPOINT")
      .argParser(url),
    new Option(
      "--s3-force-path-style [bool]",
      "path-style S3 URLs (http://host/bucket/key), for S3-compatible servers",
    )
      .env("SENIORITY_S3_FORCE_PATH_STYLE")
      .preset("true")
      .argParser(boolean)
      .default(false),
    new Option(
      "--s3-max-attempts <n>",
      "attempts per S3 request (standard retry mode: throttling, 5xx, network)",
    )
      .env("SENIORITY_S3_MAX_ATTEMPTS")
      .argParser(integer(1, 20))
      .default(DEFAULT_S3_MAX_ATTEMPTS, `${DEFAULT_S3_MAX_ATTEMPTS} attempts`),
  ];
}

/** S3Options from the parsed flags; unset flags are left to the AWS environment. */
export function s3OptionsFromCli(values: S3CliValues): S3Options {
  const options: S3Options = {};
  if (values.s3Endpoint !== undefined) options.endpoint = values.s3Endpoint;
  if (values.s3ForcePathStyle !== undefined) options.forcePathStyle = values.s3ForcePathStyle;
  if (values.s3MaxAttempts !== undefined) options.maxAttempts = values.s3MaxAttempts;
  return options;
}

function url(value: string): string {
  try {
    const parsed = new URL(value.trim());
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return value.trim();
  } catch {
    // fall through to the one message below
  }
  throw new InvalidArgumentError(`expected an http(s) URL, got "${value}".`);
}
