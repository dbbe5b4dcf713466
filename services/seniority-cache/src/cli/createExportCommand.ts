import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { EXIT_USAGE } from "@seniority/cli-options";
import { exportAnswers, LayoutMismatchError } from "@seniority/seniority-cache";
import { redactUrls } from "@seniority/telemetry";
import { Command } from "commander";
import { openTransferStore, TransferUsageError } from "./openTransferStore.js";
import { namespaceOption, transferOptions, type TransferFlags } from "./transferOptions.js";

const ENV = "SENIORITY_EXPORT";

/**
 * `seniority export --store <spec> --namespace <ns> [--file out.jsonl]`: every answer of one
 * namespace, as JSONL (AnswersFormat: a header naming the namespace and the key form, a line an
 * answer, a trailer with the count) on stdout or into --file. Prints one summary line on stderr.
 */
export function createExportCommand(): Command {
  const command = new Command("export").description(
    "Write a namespace's cached answers (JSONL) from a store, for `seniority import` into another",
  );
  for (const option of transferOptions(ENV, "write here instead of stdout")) command.addOption(option);
  command.addOption(
    namespaceOption(
      ENV,
      "the namespace to export, e.g. v1:std:m:k2 (see `seniority admin stats`)",
    ).makeOptionMandatory(),
  );
  return command.action(async (flags: TransferFlags & { namespace: string }) => {
    let store;
    try {
      store = await openTransferStore(flags, flags.namespace, true);
    } catch (error) {
      if (error instanceof TransferUsageError || error instanceof LayoutMismatchError) {
        return command.error(`error: ${error.message}`, { exitCode: EXIT_USAGE });
      }
      process.stderr.write(redactUrls(`export: ${(error as Error).message}\n`));
      process.exitCode = 1;
      return;
    }
    const out = flags.file !== undefined ? createWriteStream(flags.file) : process.stdout;
    try {
      const { entries } = await exportAnswers(store, out, {
        namespace: flags.namespace,
        batchSize: flags.batch,
      });
      if (out !== process.stdout) {
        out.end();
        await finished(out);
      }
      process.stderr.write(
        `exported ${entries} answers of namespace ${flags.namespace} from ${store.kind}\n`,
      );
    } catch (error) {
      process.stderr.write(redactUrls(`export: ${(error as Error).message}\n`));
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
}
