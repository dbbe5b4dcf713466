import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./freePort.js";

/** A TLS-only and/or ACL-protected server (issue 13.4), or one with extra settings (`args`). */
export interface RedisServerOptions {
  /** TLS only: `--port 0 --tls-port <port>`, client certificates required (signed by `ca`). */
  tls?: { cert: string; key: string; ca: string; client: { cert: string; key: string } };
  /** `--aclfile`; give `probe`, a user of that file allowed PING, to tell when the server is up. */
  aclFile?: string;
  probe?: { username: string; password: string };
  /** The port to listen on (default a free one). */
  port?: number;
  /**
   * More server arguments, appended last (so they win), e.g. `["--maxmemory", "4mb",
   * "--maxmemory-policy", "allkeys-lru"]` for eviction tests.
   */
  args?: readonly string[];
}

/** Every redis-server still running: killed if this process exits without closing it (a crash). */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * A real redis-server (the Debian package; test/preflight.mjs checks for it) on a free loopback port, with its
 * own data directory and no persistence. `stop()` kills it (to test outages) and `start()` brings it back on the
 * same port (empty: it keeps no data), `pause()`/`resume()` freeze and thaw it (SIGSTOP/SIGCONT);
 * `close()` removes everything.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  /** Starts one; when it cannot start (no redis-server, port taken), removes its dir and rejects. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(
      options.port ?? (await freePort()),
      mkdtempSync(join(tmpdir(), "seniority-redis-")),
      options,
    );
    try {
      await server.start();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** The running process' pid (for /proc readings), or undefined while it is stopped. */
  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** redis://127.0.0.1:<port>, or rediss:// with TLS (no user: add one for an ACL server). */
  get url(): string {
    return `${this.options.tls ? "rediss" : "redis"}://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server again after stop() (same port, empty unless it saved a dump). A no-op while it
   * runs: a second redis-server would fail on the port, and the running one would no longer be the
   * one close() stops (it outlived the suite).
   */
  async start(): Promise<void> {
    if (this.pid !== undefined) return;
    const tls = this.options.tls;
    const child = spawn(
      "redis-server",
      [
        ...(tls
          ? [
              "--port",
              "0",
              "--tls-port",
              String(this.port),
              "--tls-cert-file",
              tls.cert,
              "--tls-key-file",
              tls.key,
              "--tls-ca-cert-file",
              tls.ca,
              "--tls-auth-clients",
              "yes",
            ]
          : ["--port", String(this.port)]),
        ...(this.options.aclFile ? ["--aclfile", this.options.aclFile] : []),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        "no",
        ...(this.options.args ?? []),
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    live.add(child);
    for (const event of ["exit", "error"]) child.once(event, () => live.delete(child));
    // A spawn failure (ENOENT: not installed) or an early exit ends the wait at once, not after 10 s.
    let failure: Error | undefined;
    child.once("error", (error) => (failure ??= new Error(`redis-server could not start: ${error.message}`)));
    child.once("exit", (code, signal) => (failure ??= new Error(`redis-server exited (${signal ?? code})`)));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (failure) throw failure;
      const probe = new Redis(this.port, "127.0.0.1", {
        ...(tls ? { tls: this.clientTls() } : {}),
        ...(this.options.probe ?? {}),
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on("error", () => {}); // refused while the server starts: expected, retried below
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (failure) throw failure;
        if (Date.now() > deadline)
          throw new Error(`redis-server did not start on ${this.port}: ${String(error)}`, { cause: error });
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.child || this.child.exitCode !== null)
      throw new Error(`redis-server on ${this.port} is not running`);
    this.child.kill(signal);
  }

  /** TLS options for an ioredis client of this server (its CA, the test client certificate). */
  clientTls(): { ca: Buffer; cert: Buffer; key: Buffer } {
    const tls = this.options.tls!;
    return {
      ca: readFileSync(tls.ca),
      cert: readFileSync(tls.client.cert),
      key: readFileSync(tls.client.key),
    };
  }

  /** Kills the server (SIGKILL, like a crash) and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, like a hung host. */
  pause(): void {
    this.signal("SIGSTOP");
  }

  /** Lets a paused server run again (SIGCONT); it answers everything queued meanwhile. */
  resume(): void {
    this.signal("SIGCONT");
  }

  async close(): Promise<void> {
    if (this.child?.exitCode === null) this.resume(); // a paused server would not see SIGKILL's exit soon

    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
