import { addDialTlsFlags, dialAddress, dialTlsSettings, durationMs } from "@seniority/cli-options";
import {
  CacheAdminServiceDefinition,
  describeTransportFailure,
  dialTarget,
  type CacheAdminServiceClient,
  type Pair,
} from "@seniority/proto";
import { Command, Option } from "commander";
import { readFileSync } from "node:fs";
import { ClientError, Metadata, Status, createChannel, createClient } from "nice-grpc";
import { ADMIN_AUTH_METADATA } from "../grpc/adminAuthMiddleware.js";

interface AdminFlags {
  proxy: string;
  tokenFile?: string;
  timeout: number;
}

/**
 * `seniority admin lookup|invalidate|stats`: the operator API of a running proxy. Pairs are given
 * as arguments, company then title (`admin lookup "Acme Corp" CEO "Initech" Intern`); answers are
 * printed as JSON on stdout. A failed call prints one line on stderr and exits 1. It talks to the
 * proxy's admin listener (`seniority cache --admin-port`), sending the token of `--token-file` as
 * `authorization: Bearer …` (the token is never printed).
 */
export function createAdminCommand(): Command {
  const admin = new Command("admin")
    .description("Look up, invalidate or count cached answers on a running caching proxy")
    .addOption(
      new Option(
        "--proxy <host:port>",
        "the caching proxy's admin port (seniority cache --admin-port; https://host:port: over TLS)",
      )
        .env("SENIORITY_ADMIN_PROXY")
        .argParser(dialAddress)
        .default("127.0.0.1:50053"),
    )
    .addOption(
      new Option(
        "--token-file <path>",
        "file holding the admin token (seniority cache --admin-token-file)",
      ).env("SENIORITY_ADMIN_TOKEN_FILE"),
    )
    .addOption(
      new Option("--timeout <duration>", "deadline of the call")
        .env("SENIORITY_ADMIN_TIMEOUT")
        .argParser(durationMs)
        .default(10_000, "10s"),
    );
  addDialTlsFlags(admin, "proxy", "SENIORITY_ADMIN");

  // exitOverride on each sub-command, so runProgram turns their usage errors into exit code 2.
  admin
    .command("lookup")
    .exitOverride()
    .description("cached answers for pairs (never calls the model); 0 = not cached")
    .argument("<company-title...>", "company and title, alternating")
    .action(async (args: string[]) => {
      const pairs = toPairs(admin, args);
      await call(admin, async (client, signal) => (await client.lookup({ pairs }, { signal })).results);
    });
  admin
    .command("invalidate")
    .exitOverride()
    .description("forget pairs in L1 and the store, so the model is asked again")
    .argument("<company-title...>", "company and title, alternating")
    .action(async (args: string[]) => {
      const pairs = toPairs(admin, args);
      await call(admin, (client, signal) => client.invalidate({ pairs }, { signal }));
    });
  admin
    .command("stats")
    .exitOverride()
    .description("counters of the replica that answers")
    .action(async () => {
      await call(admin, (client, signal) => client.getStats({}, { signal }));
    });
  return admin;
}

function toPairs(admin: Command, args: readonly string[]): Pair[] {
  if (args.length % 2 !== 0) {
    admin.error("error: pairs need a company and a title each (an even number of arguments)", {
      exitCode: 2,
    });
  }
  const pairs: Pair[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push({ company: args[i]!, title: args[i + 1]! });
  return pairs;
}

async function call(
  admin: Command,
  run: (client: CacheAdminServiceClient, signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const flags = admin.opts<AdminFlags>();
  let target: ReturnType<typeof dialTarget>;
  try {
    target = dialTarget(flags.proxy, dialTlsSettings(flags, "proxy"));
  } catch (error) {
    admin.error(`error: ${(error as Error).message}`, { exitCode: 2 });
  }
  const metadata = Metadata();
  if (flags.tokenFile !== undefined) {
    let token: string;
    try {
      token = readFileSync(flags.tokenFile, "utf8").trim();
    } catch (error) {
      admin.error(
        `error: --token-file: cannot read ${flags.tokenFile} (${(error as NodeJS.ErrnoException).code})`,
        {
          exitCode: 2,
        },
      );
    }
    if (token.length === 0) admin.error(`error: --token-file: ${flags.tokenFile} is empty`, { exitCode: 2 });
    metadata.set(ADMIN_AUTH_METADATA, `Bearer ${token}`);
  }
  const channel = createChannel(target.address, target.credentials, target.channelOptions);
  try {
    const result = await run(
      createClient(CacheAdminServiceDefinition, channel, { "*": { metadata } }),
      AbortSignal.timeout(flags.timeout),
    );
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } catch (error) {
    const hint = describeTransportFailure(error, { secure: target.secure, flag: "--proxy" });
    const reason =
      (error instanceof ClientError
        ? `${Status[error.code]}: ${error.details.replace(/\s*\n\s*/g, " ")}`
        : String(error)) + (hint ? `; ${hint}` : "");
    process.stderr.write(`admin call to ${flags.proxy} failed: ${reason}\n`);
    process.exitCode = 1;
  } finally {
    channel.close();
  }
}
