/** Thrown by `get` when the key does not exist (head returns undefined instead). */
export class ObjectNotFoundError extends Error {
  override readonly name = "ObjectNotFoundError";

  constructor(
    readonly location: string,
    readonly key: string,
  ) {
    super(`object not found: ${key} in ${location}`);
  }
}
