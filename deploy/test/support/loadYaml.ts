import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** Every document of a YAML file (or string), as plain data; throws on any syntax error. */
export function loadYamlDocuments(pathOrText: string, options: { text?: boolean } = {}): unknown[] {
  const text = options.text ? pathOrText : readFileSync(pathOrText, "utf8");
  const documents = parseAllDocuments(text);
  const source = options.text ? "YAML text" : pathOrText;
  if (!Array.isArray(documents)) throw new Error(`${source}: not a YAML stream`);
  return documents.flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/** The single document of a YAML file. */
export function loadYaml(path: string): unknown {
  const documents = loadYamlDocuments(path);
  if (documents.length !== 1)
    throw new Error(`${path}: expected one YAML document, found ${documents.length}`);
  return documents[0];
}
