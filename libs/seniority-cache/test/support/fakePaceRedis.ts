/** A stand-in for Redis: answers pace() with the next queued reply (a wait in ms, or an error). */
export function fakeRedis(replies: (number | Error)[] = []) {
  const calls: { items: number; capacity: number; windowMs: number }[] = [];
  const ids: string[] = [];
  const answered: string[] = [];
  return {
    calls,
    ids,
    answered,
    replies,
    replicaId: "r",
    connected: true,
    async pace(
      items: number,
      capacity: number,
      windowMs: number,
      _lead?: number,
      _reserve?: unknown,
      send?: { id?: string },
    ): Promise<number> {
      calls.push({ items, capacity, windowMs });
      ids.push(send?.id ?? "");
      const reply = replies.shift() ?? 0;
      if (reply instanceof Error) throw reply;
      return reply;
    },
    async paceAnswered(sendId: string): Promise<void> {
      if (!this.connected) throw new Error("down");
      answered.push(sendId);
    },
  };
}
