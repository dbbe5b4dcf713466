import type { S3Client } from "@aws-sdk/client-s3";
import { S3Server } from "@seniority/testkit";

/** The SDK warns once per process that releases after January 2027 need Node 22; noise here. */
const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

/** The tests' S3 server (testkit's s3rver process), with the SDK's Node-version warning silenced. */
export class S3rverProcess {
  private constructor(private readonly server: S3Server) {}

  static async start(buckets: readonly string[]): Promise<S3rverProcess> {
    return new S3rverProcess(await S3Server.start(buckets));
  }

  /** The standard AWS variables pointing an SDK client (or our CLI) at this server. */
  get env(): Record<string, string> {
    return { ...this.server.env, ...QUIET_SDK };
  }

  client(): S3Client {
    process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??=
      QUIET_SDK.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    return this.server.client();
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
