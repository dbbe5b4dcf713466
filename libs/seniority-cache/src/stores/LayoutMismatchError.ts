/**
 * A Redis namespace's recorded layout (the compact bucket count) differs from this replica's
 * settings: using it would miss every cached pair, so the store refuses (see checkCompactLayout).
 */
export class LayoutMismatchError extends Error {
  override readonly name = "LayoutMismatchError";
}
