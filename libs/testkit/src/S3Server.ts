import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";
import { freePort } from "./freePort.js";

/** Credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * A real S3 HTTP server (s3rver) in its own Node process on a free loopback port, with the given
 * buckets created. `env` holds the standard AWS variables a client needs to reach it.
 */
export class S3Server {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Starts one; when it cannot start, stops its process, removes its dir and rejects. */
  static async start(buckets: readonly string[] = ["rl-data"]): Promise<S3Server> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "seniority-s3-"));
    const script = fileURLToPath(new URL("../s3rver/s3rverProcess.cjs", import.meta.url));
    // stdin is a pipe the child watches: if this process dies without close(), s3rver exits too.
    const child = spawn(
      process.execPath,
      ["--openssl-legacy-provider", script, String(port), dir, ...buckets],
      { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, S3RVER_EXIT_WITH_PARENT: "1" } },
    );
    const server = new S3Server(port, child, dir);
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout?.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("ready")) resolve();
        });
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}: ${stderr}`)));
      });
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Standard AWS variables pointing an SDK client (or our CLI) at this server. */
  get env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_S3: this.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: "us-east-1",
      SENIORITY_S3_FORCE_PATH_STYLE: "true",
    };
  }

  /** A new SDK client of this server (path style, s3rver's credentials); the caller destroys it. */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      await new Promise<void>((resolve) => {
        this.child.once("exit", () => resolve());
        this.child.kill("SIGTERM");
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
