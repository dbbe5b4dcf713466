import { Option } from "commander";

/** `--flag <value>` of `seniority cache`, reading SENIORITY_CACHE_<FLAG> too. */
export function cacheFlag(name: string, help: string): Option {
  const env = `SENIORITY_CACHE_${name.replace(/^--/, "").split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`;
  return new Option(name, help).env(env);
}
