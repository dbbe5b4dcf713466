/** One row of the seedIdeas table: a variant of the cache measured on the shared month stream. */
export interface SeedIdeaRow {
  /** e.g. "baseline", "+ bloom", "+ cluster titles". */
  variant: string;
  /** Items the model was sent. */
  modelItems: number;
  /** Store round trips (getMany/setMany calls or Redis commands); null where not measured. */
  storeRoundTrips: number | null;
  /** The idea's own figures, e.g. "keys saved 12.3%, disagreement 0.4%". */
  note: string;
}
