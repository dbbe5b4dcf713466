import { levelForTitle } from "@seniority/model-sim";
import type { ModelBackend } from "@seniority/seniority-cache";
import type { SeniorityPair } from "@seniority/seniority-model";

/**
 * model-sim's answers in process (levelForTitle, the function its gRPC server answers with),
 * counting the items and batches it is sent: the model of a measurement that needs no port.
 */
export class SimBackend implements ModelBackend {
  items = 0;
  batches = 0;

  async resolve(pairs: readonly SeniorityPair[]): Promise<number[]> {
    this.items += pairs.length;
    this.batches++;
    return pairs.map((pair) => levelForTitle(pair.title));
  }

  async close(): Promise<void> {}
}
