/** The environment without any AWS setting (so nothing points at a region or an endpoint). */
export function withoutAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { SENIORITY_LOG_LEVEL: "silent" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("SENIORITY_")) env[name] = value;
  }
  return { ...env, ...extra };
}
