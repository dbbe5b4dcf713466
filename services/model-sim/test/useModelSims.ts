import { ManualClock } from "@seniority/clock";
import { afterEach } from "vitest";
import { ModelSim, type ModelSimOptions } from "../src/ModelSim.js";
import { simClient } from "./simClient.js";

/**
 * Simulators for the current test file: `start` runs one on a ManualClock (the given one, else a
 * new one) with a client; everything started, or pushed onto `open`, is closed after each test
 * (last first).
 */
export function useModelSims() {
  const open: { close(): unknown }[] = [];

  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  async function start(options: ModelSimOptions = {}) {
    const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
    const sim = await ModelSim.start({ clock, ...options });
    const client = simClient(sim.address);
    open.push(sim, client);
    return { sim, client, clock };
  }

  return { start, open };
}
