import { parseBlock, type ParsedBlock } from "./parseBlock.js";

/** Where blocks get parsed: in this thread (inlineParser) or in worker threads (ParsePool). */
export interface BlockParser {
  parse(bytes: Buffer, maxLineBytes: number): Promise<ParsedBlock>;
}

/** Parses in the calling thread. */
export const inlineParser: BlockParser = {
  parse: (bytes, maxLineBytes) => Promise.resolve(parseBlock(bytes, maxLineBytes)),
};
