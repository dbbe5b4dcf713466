/** One variant of an A/B comparison: a name and one measured run of it. */
export interface Variant<M> {
  name: string;
  run: (round: number) => Promise<M>;
}

/**
 * Runs the variants interleaved, round after round (A B C A B C …), so slow drifts of a shared,
 * noisy machine (other tenants, thermal, GC of the load generator) fall on every variant alike.
 * Returns each variant's measurements in round order. A throwing run aborts the whole comparison:
 * a benchmark must fail loudly rather than report a partial ratio.
 */
export async function interleave<M>(
  variants: readonly Variant<M>[],
  rounds: number,
): Promise<Map<string, M[]>> {
  const results = new Map<string, M[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order every round too (A B C, C B A, …) so no variant always follows another.
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) results.get(variant.name)!.push(await variant.run(round));
  }
  return results;
}
