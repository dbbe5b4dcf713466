import { mkdir, readdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DemoUsageError } from "./DemoUsageError.js";

/** The file that marks a folder as the demo's own (and records its sample). */
export const MANIFEST_FILE = "demo.json";

/** The sub-folders the demo writes: the generated sample, the augmented files, the bad lines. */
export const DEMO_SUBFOLDERS = ["raw", "mod", "errors"] as const;

/**
 * The demo's working folder: `raw/`, `mod/`, `errors/` and `demo.json`. The demo deletes only inside
 * a folder that carries its manifest, so `--dir` pointed at someone's data by mistake is refused,
 * never emptied.
 */
export class DemoFolder {
  readonly root: string;
  readonly raw: string;
  readonly mod: string;
  readonly errors: string;
  readonly manifest: string;

  constructor(dir: string) {
    this.root = resolve(dir);
    this.raw = join(this.root, "raw");
    this.mod = join(this.root, "mod");
    this.errors = join(this.root, "errors");
    this.manifest = join(this.root, MANIFEST_FILE);
  }

  /**
   * Creates the folder if missing. A folder that exists, holds anything and has no manifest is not
   * the demo's: DemoUsageError.
   */
  async claim(): Promise<void> {
    const entries = await readdir(this.root).catch((error: NodeJS.ErrnoException): string[] => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
      throw new DemoUsageError(
        `--dir ${this.root} is not empty and has no ${MANIFEST_FILE}, so it is not a demo folder: give a new or empty folder`,
      );
    }
    await mkdir(this.root, { recursive: true });
  }

  /** The manifest's JSON, or undefined when there is none (or it is unreadable). */
  async readManifest(): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.manifest, "utf8")) as unknown;
    } catch {
      return undefined;
    }
  }

  async writeManifest(value: unknown): Promise<void> {
    await writeFile(this.manifest, JSON.stringify(value, null, 2) + "\n");
  }

  /** Deletes the augmented files and bad-line reports (the sample stays). */
  async clearOutputs(): Promise<void> {
    await Promise.all([this.mod, this.errors].map((path) => rm(path, { recursive: true, force: true })));
  }

  /** Deletes everything the demo wrote here, then the folder itself if nothing else is left. */
  async remove(): Promise<void> {
    await Promise.all(
      [...DEMO_SUBFOLDERS.map((name) => join(this.root, name)), this.manifest].map((path) =>
        rm(path, { recursive: true, force: true }),
      ),
    );
    await rmdir(this.root).catch(() => undefined);
  }
}
