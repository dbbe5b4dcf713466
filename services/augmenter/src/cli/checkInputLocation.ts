import { stat } from "node:fs/promises";
import { LocalDirObjectStore, type ObjectStore } from "@seniority/object-store";

/** The input folder or bucket does not exist: a usage error (exit 2), found before anything is created. */
export class MissingInputError extends Error {
  override readonly name = "MissingInputError";
}

/**
 * Fails fast when the input cannot exist: a local directory that is missing (or not a directory),
 * or an S3 bucket that does not exist (NoSuchBucket on a first one-page listing). An empty folder
 * or prefix is fine (nothing pending). Other failures (network, credentials) are thrown as they are.
 */
export async function checkInputLocation(input: ObjectStore, signal?: AbortSignal): Promise<void> {
  if (input instanceof LocalDirObjectStore) {
    const info = await stat(input.location).catch(() => undefined);
    if (!info?.isDirectory()) throw new MissingInputError(`input folder does not exist: ${input.location}`);
    return;
  }
  try {
    for await (const object of input.list(signal ? { signal } : {})) {
      void object;
      break;
    }
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchBucket") {
      throw new MissingInputError(`input bucket does not exist: ${input.location}`);
    }
    throw error;
  }
}
