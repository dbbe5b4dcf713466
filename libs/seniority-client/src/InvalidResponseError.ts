/** The server answered, but not the question asked (a uuid missing or twice, a level outside 1..7). */
export class InvalidResponseError extends Error {
  override readonly name = "InvalidResponseError";
}
