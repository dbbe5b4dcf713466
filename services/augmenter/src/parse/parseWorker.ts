import { parentPort } from "node:worker_threads";
import { parseBlock } from "./parseBlock.js";

/** A ParsePool request: a block's bytes (transferred) and the line size limit. */
export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  maxLineBytes: number;
}

/** The entry of a ParsePool thread: parses each block it is sent, answering with the same id. */
parentPort?.on("message", ({ id, bytes, maxLineBytes }: ParseRequest) => {
  try {
    const parsed = parseBlock(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxLineBytes);
    parentPort!.postMessage({ id, parsed }, [
      parsed.good.buffer as ArrayBuffer,
      parsed.bad.lines.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
