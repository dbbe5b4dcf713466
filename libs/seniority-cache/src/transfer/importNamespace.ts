import { parseNamespace, type NamespaceParts } from "@seniority/pair-key";

const MUST_MATCH: [keyof NamespaceParts, string][] = [
  ["modeTag", "normalization"],
  ["identity", "model identity"],
  ["encoding", "key encoding"],
];

/**
 * The namespace an import writes into: the file's, or `requested` (--namespace) when given. Another
 * namespace may differ from the file's only in its model version — an operator's relabelling — never
 * in normalization or key encoding (its keys would be other pairs' keys) nor in model identity
 * (simulated answers would be read as the model's). Throws an Error saying which part differs.
 */
export function importNamespace(file: string, requested: string | undefined): string {
  const from = parseNamespace(file);
  if (requested === undefined || requested === file) return file;
  const to = parseNamespace(requested);
  for (const [part, label] of MUST_MATCH) {
    if (from[part] !== to[part]) {
      throw new Error(
        `--namespace ${requested}: the file holds answers of namespace ${file}; they cannot go into a ` +
          `namespace of another ${label} (${from[part]} → ${to[part]})`,
      );
    }
  }
  return requested;
}
