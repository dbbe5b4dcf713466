import type { BinaryReader } from "@bufbuild/protobuf/wire";
import { SeniorityModelDefinition, SeniorityRequestBatch } from "./gen/seniority_model.js";
import { findInvalidUtf8, type InvalidUtf8Item } from "./findInvalidUtf8.js";

// Requests decoded by strictDecode that carry invalid UTF-8: weakly held, so nothing outlives a call.
const invalid = new WeakMap<SeniorityRequestBatch, InvalidUtf8Item>();

const REPLACEMENT = "\uFFFD";

/**
 * The generated decoder, plus a record of the first string that is not valid UTF-8. Cheap: the
 * raw bytes are re-read only when a decoded company or title contains U+FFFD (what the decoder
 * writes for invalid bytes; a real U+FFFD costs one scan of that request).
 */
function strictDecode(input: BinaryReader | Uint8Array, length?: number): SeniorityRequestBatch {
  const request = SeniorityRequestBatch.decode(input, length);
  if (!(input instanceof Uint8Array) || length !== undefined) return request;
  for (const item of request.batch) {
    if (item.company.includes(REPLACEMENT) || item.title.includes(REPLACEMENT)) {
      const found = findInvalidUtf8(input);
      if (found) invalid.set(request, found);
      break;
    }
  }
  return request;
}

/**
 * SeniorityModelDefinition for servers: the same path and messages, but a request whose company
 * or title bytes are not valid UTF-8 is marked (see invalidUtf8In) instead of silently decoded to
 * U+FFFD. A throwing deserializer would reach the caller as INTERNAL; the handler refuses it with
 * INVALID_ARGUMENT instead.
 */
export const StrictSeniorityModelDefinition = {
  ...SeniorityModelDefinition,
  methods: {
    inferSeniority: {
      ...SeniorityModelDefinition.methods.inferSeniority,
      requestType: { ...SeniorityRequestBatch, decode: strictDecode } as typeof SeniorityRequestBatch,
    },
  },
} as const;

/** The first item of a request (decoded by StrictSeniorityModelDefinition) with invalid UTF-8. */
export function invalidUtf8In(request: SeniorityRequestBatch): InvalidUtf8Item | undefined {
  return invalid.get(request);
}

/** The INVALID_ARGUMENT message for an item with invalid UTF-8, e.g. "title of item #3 (uuid 17) is not valid UTF-8". */
export function describeInvalidUtf8(item: InvalidUtf8Item): string {
  return `${item.field} of item #${item.index} (uuid ${item.uuid}) is not valid UTF-8`;
}
