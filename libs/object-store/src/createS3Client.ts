import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";

/** Connection settings for S3 and S3-compatible servers; anything unset comes from the standard AWS chain. */
export interface S3Options {
  /**
   * e.g. "http://127.0.0.1:9000". Unset: the SDK reads AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL
   * (SDK v3 honours both; checked in @smithy/core getEndpointUrlConfig), then AWS's own endpoints.
   */
  endpoint?: string;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible servers need. Default false. */
  forcePathStyle?: boolean;
  /** Unset: AWS_REGION or the shared config; "us-east-1" when neither is set and an endpoint is given. */
  region?: string;
  /**
   * Attempts per request in the SDK's "standard" retry mode (exponential backoff with jitter,
   * retrying throttling, 5xx and network errors). Default 5.
   */
  maxAttempts?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Default attempts per S3 request (1 try + 4 retries). */
export const DEFAULT_S3_MAX_ATTEMPTS = 5;

/** Builds an S3Client from the options; whatever is not given comes from the AWS environment. */
export function createS3Client(options: S3Options = {}): S3Client {
  const config: S3ClientConfig = {
    maxAttempts: options.maxAttempts ?? DEFAULT_S3_MAX_ATTEMPTS,
    retryMode: "standard",
    // The SDK's default (WHEN_SUPPORTED) sends streaming bodies aws-chunked with trailing CRC
    // checksums, which S3-compatible servers such as s3rver store verbatim; checksums only when
    // an operation requires them keeps uploads portable. Integrity in transit: TLS, and S3
    // verifies each part's Content-Length.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.forcePathStyle !== undefined) config.forcePathStyle = options.forcePathStyle;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  const endpointFromEnv = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (options.region !== undefined) config.region = options.region;
  else if (!process.env.AWS_REGION && (options.endpoint ?? endpointFromEnv)) config.region = "us-east-1";
  // This project supports Node 20 (engines); the SDK's 8-line NodeVersionSupportWarning on every
  // S3 command is noise to its users. Read by the SDK when a client is built.
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
  const client = new S3Client(config);
  // The SDK's "Region is missing" names no setting: say which one (resolved at the first request).
  const region = client.config.region;
  client.config.region = async () => {
    try {
      return await region();
    } catch (error) {
      if (!/Region is missing/.test((error as Error).message)) throw error;
      throw new Error(
        "Region is missing: set AWS_REGION (or a region in the AWS profile), or give --s3-endpoint for an S3-compatible server",
        { cause: error },
      );
    }
  };
  return client;
}
