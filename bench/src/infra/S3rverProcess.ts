import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { S3RVER_SCRIPT } from "../core/paths.js";
import { freePort } from "./freePort.js";
import { tcpOpen } from "./probes.js";
import { ServiceProcess } from "./ServiceProcess.js";

const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * The S3 test server (s3rver) in its own Node process, as the tests run it. Node ≥ 17 needs
 * --openssl-legacy-provider for its list pagination.
 */
export class S3rverProcess {
  private constructor(
    readonly port: number,
    readonly service: ServiceProcess,
    private readonly dir: string,
  ) {}

  static async start(workDir: string, buckets: readonly string[]): Promise<S3rverProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(workDir, "s3-"));
    const service = await ServiceProcess.start(
      "s3rver",
      process.execPath,
      ["--openssl-legacy-provider", S3RVER_SCRIPT, String(port), dir, ...buckets],
      { ready: async (output) => output.includes("ready") && (await tcpOpen(port)) },
    );
    return new S3rverProcess(port, service, dir);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The standard AWS variables pointing an SDK client (or our CLI) at this server. */
  get env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_S3: this.endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: "us-east-1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      SENIORITY_S3_FORCE_PATH_STYLE: "true",
    };
  }

  client(): S3Client {
    // The SDK warns once per process that releases after January 2027 need Node 22; noise here.
    process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
    return new S3Client({
      endpoint: this.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
  }

  async close(): Promise<void> {
    await this.service.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
