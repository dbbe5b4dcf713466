/**
 * Who answers the cache's misses, as far as the cache namespace is concerned:
 * - `model`: a model reached over gRPC (`--model host:port`). The contract cannot say which model
 *   answers, so its version is the operator's word (`--model-version`, also in the namespace); the
 *   address is deliberately not part of it, so moving the model to another host keeps the cache.
 * - `sim`: model-sim — in-process (`seniority demo`, `augment --model sim`) or a model-sim service
 *   behind a cache started with `--model-identity sim` (staging). Its levels are made
 *   up, so they live in a namespace of their own and are never read as the model's.
 */
export type ModelIdentity = "model" | "sim";

/** Every identity. */
export const MODEL_IDENTITIES: readonly ModelIdentity[] = Object.freeze(["model", "sim"]);

/** Throws for a value that is not an identity (callers from plain JS or parsed config). */
export function assertModelIdentity(identity: string): asserts identity is ModelIdentity {
  if (!(MODEL_IDENTITIES as readonly string[]).includes(identity)) {
    throw new Error(`unknown model identity "${identity}" (expected one of: ${MODEL_IDENTITIES.join(", ")})`);
  }
}
