/** `value` if it is an integer >= 1; otherwise throws naming the option. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** `value` if it is a number >= 0; otherwise throws naming the option. */
export function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new Error(`${name} must be >= 0, got ${value}`);
  return value;
}
