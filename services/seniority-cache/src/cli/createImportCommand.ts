import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { EXIT_USAGE } from "@seniority/cli-options";
import {
  AnswersReader,
  importAnswers,
  importNamespace,
  LayoutMismatchError,
} from "@seniority/seniority-cache";
import { redactUrls } from "@seniority/telemetry";
import { Command } from "commander";
import { openTransferStore, TransferUsageError } from "./openTransferStore.js";
import { namespaceOption, transferOptions, ttlOption, type TransferFlags } from "./transferOptions.js";

const ENV = "SENIORITY_IMPORT";

/**
 * `seniority import --store <spec> [--namespace <ns>] [--file in.jsonl]`: writes the answers of an
 * export (stdin or --file) into a store, into the file's namespace unless --namespace relabels its
 * model version (importNamespace). Every line is checked (key, level 1..7); one summary line on
 * stderr says how many answers were written. A bad or cut file exits 1, saying how many were
 * written before the problem (all valid answers; rerunning the import is harmless).
 */
export function createImportCommand(): Command {
  const command = new Command("import").description(
    "Write the answers of a `seniority export` file into a store (e.g. LMDB → Redis, or a new region)",
  );
  for (const option of transferOptions(ENV, "read this file instead of stdin")) command.addOption(option);
  command.addOption(
    namespaceOption(
      ENV,
      "write into this namespace (default: the file's; only its model version may differ)",
    ),
  );
  command.addOption(ttlOption(ENV));
  return command.action(async (flags: TransferFlags) => {
    const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
    const fail = (message: string): void => {
      process.stderr.write(redactUrls(`import: ${message}\n`));
      process.exitCode = 1;
    };
    const input = flags.file !== undefined ? createReadStream(flags.file) : process.stdin;
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      const reader = new AnswersReader(lines);
      let header;
      try {
        header = await reader.header();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return fail(code ? `--file ${flags.file}: cannot read (${code})` : (error as Error).message);
      }
      let namespace: string;
      try {
        namespace = importNamespace(header.namespace, flags.namespace);
      } catch (error) {
        return usage((error as Error).message);
      }
      let store;
      try {
        store = await openTransferStore(flags, namespace, false);
      } catch (error) {
        if (error instanceof TransferUsageError || error instanceof LayoutMismatchError)
          return usage(error.message);
        return fail((error as Error).message);
      }
      try {
        const { entries } = await importAnswers(reader, header, store, { batchSize: flags.batch });
        const relabelled = namespace === header.namespace ? "" : ` (relabelled from ${header.namespace})`;
        process.stderr.write(
          `imported ${entries} answers into namespace ${namespace}${relabelled} of ${store.kind}\n`,
        );
      } catch (error) {
        fail((error as Error).message);
      } finally {
        await store.close();
      }
    } finally {
      lines.close();
      if (input !== process.stdin) input.destroy();
    }
  });
}
