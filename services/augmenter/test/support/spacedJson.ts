/** JSON text of `value` with whitespace from `ws()` around every token (for scanner properties). */
export function spacedJson(value: unknown, ws: () => string): string {
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => spacedJson(v, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value && typeof value === "object")
    return `{${ws()}${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${spacedJson(v, ws)}`)
      .join(`${ws()},${ws()}`)}${ws()}}`;
  return JSON.stringify(value);
}
