import { openObjectStore, type ObjectStore } from "@seniority/object-store";
import { s3OptionsFromCli } from "./s3CliOptions.js";
import type { AugmentFlags } from "./AugmentFlags.js";
import type { Closers } from "./Closers.js";
import { defaultErrorsLocation, splitFileUri } from "./locations.js";

/** The stores of one `augment` command; `key` only for a single file. */
export interface AugmentStores {
  input: ObjectStore;
  output: ObjectStore;
  errors: ObjectStore;
  key?: string;
}

/**
 * Opens --input (or the folder of the file given), --output and --errors (default: beside the
 * output, defaultErrorsLocation), each closed by `closers`. Throws on a location it cannot open
 * (a usage error). Expects the flags checked (checkAugmentFlags): --output given, and --input
 * unless a file is.
 */
export function openAugmentStores(
  file: string | undefined,
  flags: AugmentFlags,
  closers: Closers,
): AugmentStores {
  const s3 = s3OptionsFromCli(flags);
  const single = file === undefined ? undefined : splitFileUri(file);
  const open = (location: string): ObjectStore => {
    const store = openObjectStore(location, { s3 });
    closers.add(() => store.close());
    return store;
  };
  return {
    input: open(single?.location ?? flags.input!),
    output: open(flags.output!),
    errors: open(flags.errors ?? defaultErrorsLocation(flags.output!)),
    ...(single ? { key: single.key } : {}),
  };
}
