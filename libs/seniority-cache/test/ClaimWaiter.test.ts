import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { ClaimWaiter, type ClaimWaiterOptions } from "../src/replicas/ClaimWaiter.js";
import type { ClaimOutcome } from "../src/replicas/ReplicaCoordination.js";

interface Pair {
  key: Buffer;
  name: string;
}
const pair = (name: string): Pair => ({ key: Buffer.from(name), name });

/**
 * A waiter whose claim() answers from `outcome(name, call)` (call counts from 1; an Error rejects
 * the whole call) and records when it was called and with which pairs.
 */
function setup(
  outcome: (name: string, call: number) => ClaimOutcome | Error,
  options: Partial<ClaimWaiterOptions<Pair>> = {},
) {
  const clock = new ManualClock();
  const polls: { at: number; names: string[] }[] = [];
  const answered: [string, number][] = [];
  const won: string[][] = [];
  const unreachable: string[][] = [];
  const waiter = new ClaimWaiter<Pair>({
    clock,
    coordination: {
      async claim(keys) {
        const names = keys.map((key) => key.toString());
        polls.push({ at: clock.now(), names });
        const outcomes = names.map((name) => outcome(name, polls.length));
        const error = outcomes.find((o) => o instanceof Error);
        if (error) throw error;
        return outcomes as ClaimOutcome[];
      },
    },
    onAnswered: (p, level) => answered.push([p.name, level]),
    onWon: (pairs) => won.push(pairs.map((p) => p.name)),
    onUnreachable: (pairs) => unreachable.push(pairs.map((p) => p.name)),
    ...options,
  });
  return { clock, waiter, polls, answered, won, unreachable };
}

describe("ClaimWaiter", () => {
  it("polls every waiting pair in one call, backing off 20 → 200 ms, faster again when something changes", async () => {
    const { clock, waiter, polls, answered, won } = setup((name, call) =>
      call < 7 ? "lost" : call === 7 ? (name === "a" ? 3 : "lost") : "won",
    );
    waiter.add([pair("a")]);
    waiter.add([pair("b")]); // another request's pair: the same polls
    expect(waiter.size).toBe(2);
    await clock.advance(1000);
    expect(polls.map((poll) => poll.at)).toEqual([20, 60, 140, 300, 500, 700, 900, 920]);
    expect(polls.map((poll) => poll.names.join())).toEqual([...Array(7).fill("a,b"), "b"]);
    expect(answered).toEqual([["a", 3]]);
    expect(won).toEqual([["b"]]); // b's claim vanished without an answer: this replica took it
    expect([waiter.size, clock.pending]).toEqual([0, 0]); // nothing waits, no timer left
  });

  it("asks at most maxPairsPerPoll pairs per poll, taking turns", async () => {
    const { clock, waiter, polls } = setup(() => "lost", { maxPairsPerPoll: 2 });
    waiter.add(["a", "b", "c"].map(pair));
    await clock.advance(60);
    expect(polls.map((poll) => poll.names.join())).toEqual(["a,b", "c,a"]);
    expect(await waiter.close()).toEqual(["b", "c", "a"].map(pair));
    expect(clock.pending).toBe(0);
  });

  it("Redis unreachable: hands every waiting pair back at once, to be inferred without a claim", async () => {
    const { clock, waiter, unreachable, polls } = setup(() => new Error("connection refused"), {
      maxPairsPerPoll: 2,
    });
    waiter.add(["a", "b", "c"].map(pair));
    await clock.advance(20);
    expect(polls).toHaveLength(1);
    expect(unreachable).toEqual([["a", "b", "c"]]);
    expect([waiter.size, clock.pending]).toEqual([0, 0]);
    waiter.add([pair("d")]); // polling starts again for new pairs
    expect(clock.pending).toBe(1);
    await waiter.close();
  });

  it("close() stops polling and returns the pairs still waiting, once", async () => {
    const { clock, waiter, polls } = setup(() => "lost");
    waiter.add([pair("a")]);
    await clock.advance(20);
    expect(await waiter.close()).toEqual([pair("a")]);
    expect(await waiter.close()).toEqual([]);
    waiter.add([pair("b")]); // ignored after close
    await clock.advance(1000);
    expect(polls).toHaveLength(1);
  });

  it("while claims are not trusted, pairs won keep waiting (their claims kept) and are looked up again", async () => {
    let trusted = false;
    const { clock, waiter, polls, answered, won } = setup(
      (name, call) => (call < 3 || name === "b" ? "won" : 5),
      {
        trusted: () => trusted,
      },
    );
    waiter.add([pair("a"), pair("b")]);
    await clock.advance(20);
    await clock.advance(40);
    expect(polls).toEqual([
      { at: 20, names: ["a", "b"] },
      { at: 60, names: ["a", "b"] },
    ]);
    expect(won).toEqual([]);
    trusted = true;
    await clock.advance(80);
    expect(answered).toEqual([["a", 5]]); // answered by the peer meanwhile: not inferred here
    expect(won).toEqual([["b"]]);
    expect(waiter.size).toBe(0);
  });
});
