import { isUtf8 } from "node:buffer";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** A request item whose company or title bytes are not valid UTF-8. */
export interface InvalidUtf8Item {
  /** Position of the item in the request's `batch` (from 0). */
  readonly index: number;
  /** The item's uuid (0 when absent, as proto3 reads it). */
  readonly uuid: number;
  readonly field: "company" | "title";
}

/**
 * The first item of an encoded SeniorityRequestBatch whose company or title is not valid UTF-8,
 * read from the raw bytes (the generated decoder turns such bytes into U+FFFD, which would make
 * "\xff", "\xfe" and a real U+FFFD one pair). A proto3 runtime rejects such a string field; so do
 * we. Undefined when every string is valid. Expects bytes that already decode as the message.
 */
export function findInvalidUtf8(bytes: Uint8Array): InvalidUtf8Item | undefined {
  const reader = new BinaryReader(bytes);
  for (let index = 0; reader.pos < reader.len;) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo !== 1 || wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, fieldNo);
      continue;
    }
    const found = checkItem(reader.bytes(), index++);
    if (found) return found;
  }
  return undefined;
}

function checkItem(bytes: Uint8Array, index: number): InvalidUtf8Item | undefined {
  const reader = new BinaryReader(bytes);
  let uuid = 0;
  let bad: InvalidUtf8Item["field"] | undefined;
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === 1 && wireType === WireType.Varint) uuid = reader.int32();
    else if ((fieldNo === 2 || fieldNo === 3) && wireType === WireType.LengthDelimited) {
      // The last occurrence of a field wins in protobuf, but any invalid one is refused.
      if (!isUtf8(reader.bytes())) bad ??= fieldNo === 2 ? "company" : "title";
    } else reader.skip(wireType, fieldNo);
  }
  // The uuid may come after the string: read the whole item before reporting it.
  return bad === undefined ? undefined : { index, uuid, field: bad };
}
