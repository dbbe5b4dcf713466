import { InvalidArgumentError } from "commander";

const STORE_SPEC = /^(memory|lmdb:.+|(redis|rediss|redis-cluster):\/\/.+)$/;

/** Commander parser for --store: the spec forms openStore accepts, checked before anything opens. */
export function storeSpec(value: string): string {
  const spec = value.trim();
  if (!STORE_SPEC.test(spec)) {
    throw new InvalidArgumentError(
      `expected memory, lmdb:<path>, redis://host:port, rediss://host:port or redis-cluster://host:port,…; got "${value}".`,
    );
  }
  return spec;
}
