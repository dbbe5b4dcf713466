import { SeniorityModelDefinition, type SeniorityModelClient } from "@seniority/proto";
import { createChannel, createClient } from "nice-grpc";

/** A nice-grpc client of the simulator at `address`, with a close() for afterEach. */
export function simClient(address: string): SeniorityModelClient & { close(): void } {
  const channel = createChannel(address);
  const client = createClient(SeniorityModelDefinition, channel);
  return Object.assign(client, { close: () => channel.close() });
}

/** `n` request items with uuids from `firstUuid`, one title for all. */
export function items(
  n: number,
  title = "Engineer",
  firstUuid = 1,
): { uuid: number; company: string; title: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    uuid: firstUuid + i,
    company: `Co ${firstUuid + i}`,
    title,
  }));
}
