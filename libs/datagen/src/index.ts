export { generate, chunked, type GenerateOptions, type GenerateSummary } from "./generate.js";
export {
  generatePostings,
  DEFAULT_START,
  type PostingStreamOptions,
  type GeneratedFile,
  type GeneratedLine,
} from "./generatePostings.js";
export { BAD_LINE_KINDS, type BadLineKind } from "./buildBadLine.js";
export { PostingTally, type PostingCounts } from "./PostingTally.js";
export { DEFAULT_UNIVERSE_SHAPE, type UniverseShape, type Pair } from "./PairUniverse.js";
export { formatPostingLine, type Posting } from "./formatPostingLine.js";
export { formatSummary } from "./formatSummary.js";
export { Prng } from "./Prng.js";
