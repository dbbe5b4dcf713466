/** `n` distinct items: `${prefix}0` … `${prefix}${n - 1}`. */
export const names = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);
