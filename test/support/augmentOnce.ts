/** `seniority augment --once --input <input> --output <output> <flags>`, as argv for runCli. */
export function augmentOnce(input: string, output: string, ...flags: string[]): string[] {
  return ["augment", "--once", "--input", input, "--output", output, ...flags];
}
