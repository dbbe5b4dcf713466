/** A (company, title) pair as callers give it; the model is always sent the first-seen original. */
export interface SeniorityPair {
  readonly company: string;
  readonly title: string;
}
