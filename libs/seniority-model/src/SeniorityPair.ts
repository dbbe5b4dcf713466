/** A (company, title) pair as callers give it; matched byte for byte. */
export interface SeniorityPair {
  readonly company: string;
  readonly title: string;
}
