/** Lets pending promise callbacks run (20 microtask turns), without advancing any clock. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
