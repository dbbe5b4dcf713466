import type { InProcessModel, StartInProcessModel } from "@seniority/augmenter";
import { ModelSim } from "@seniority/model-sim";

/**
 * The in-process model behind `augment --model sim` and the demo: model-sim on a free loopback
 * port. Wired here, in the composition root, and only here: the augmenter itself ships no simulator.
 * `onStarted` gets the running sim (the demo reads its stats).
 */
export function modelSimStarter(onStarted?: (sim: ModelSim) => void): StartInProcessModel {
  return async ({ capacity, logger }): Promise<InProcessModel> => {
    const sim = await ModelSim.start({ port: 0, capacity, logger });
    onStarted?.(sim);
    return sim;
  };
}
