import { ClientError } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { ModelSim } from "../src/ModelSim.js";
import { items, simClient } from "./simClient.js";
import { untilQueued } from "./untilQueued.js";
import { useModelSims } from "./useModelSims.js";

const { start, open } = useModelSims();

// Answers (order, uuids, levels), many concurrent calls on the system clock, close().
describe("ModelSim over gRPC", () => {
  it("answers every item with its uuid and the title's level, in request order (company ignored)", async () => {
    const { client, clock } = await start();
    const call = client.inferSeniority({
      batch: [
        { uuid: 7, company: "Acme", title: "CEO" },
        { uuid: -3, company: "Other", title: "Paralegal" },
        { uuid: 7, company: "Acme", title: "CEO" }, // a repeated uuid is answered again
        { uuid: 2, company: "Zeta", title: "Lead Lawyer" },
      ],
    });
    await untilQueued(clock, 1);
    await clock.advance(4);
    expect(await call).toEqual({
      batch: [
        { uuid: 7, seniority: 7 },
        { uuid: -3, seniority: 1 },
        { uuid: 7, seniority: 7 },
        { uuid: 2, seniority: 4 },
      ],
    });
  });

  it("serves many concurrent calls on the system clock without warnings", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const sim = await ModelSim.start({ capacity: 100_000 });
      const client = simClient(sim.address);
      open.push(sim, client);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.inferSeniority({ batch: items(20, "CEO", i * 20) })),
      );
      expect(answers.flatMap((a) => a.batch)).toHaveLength(1000);
      expect(sim.stats()).toMatchObject({ batches: 50, items: 1000, maxBatchSize: 20 });
      expect(sim.stats().queueDelaySeconds.max).toBeGreaterThan(0); // they queued behind each other
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it("close() is idempotent and ends calls still queued", async () => {
    const { sim, client, clock } = await start();
    const call = client.inferSeniority({ batch: items(10) });
    await untilQueued(clock, 1);
    await Promise.all([sim.close(), sim.close()]);
    await expect(call).rejects.toBeInstanceOf(ClientError);
    expect(clock.pending).toBe(0);
  });
});
