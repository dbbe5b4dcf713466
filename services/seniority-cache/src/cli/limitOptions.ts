import { integer } from "@seniority/cli-options";
import type { Option } from "commander";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../grpc/CacheServer.js";
import { cacheFlag } from "./cacheFlag.js";

/** `cache`'s flags bounding one request: its items, the bytes of a field, the bytes of the message. */
export function limitOptions(): Option[] {
  return [
    cacheFlag("--max-items <n>", "items per request").argParser(integer(1)).default(100_000, "100000 items"),
    cacheFlag("--max-field-bytes <n>", "UTF-8 bytes per company or title")
      .argParser(integer(1))
      .default(1024, "1024 bytes"),
    cacheFlag("--max-message-bytes <n>", "largest request message")
      .argParser(integer(1024))
      .default(DEFAULT_MAX_MESSAGE_BYTES, `${DEFAULT_MAX_MESSAGE_BYTES} bytes (32 MiB)`),
  ];
}
