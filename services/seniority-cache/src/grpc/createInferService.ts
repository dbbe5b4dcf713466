import {
  describeInvalidUtf8,
  invalidUtf8In,
  type StrictSeniorityModelDefinition,
  type SeniorityResponseBatch,
} from "@seniority/proto";
import { ServerError, Status, type CallContext, type ServiceImplementation } from "nice-grpc";
import { PRIORITY_METADATA_KEY, LANES, type Lane } from "@seniority/seniority-model";
import { FORWARDED_METADATA_KEY } from "@seniority/seniority-cache";
import { checkRequestLimits, type RequestLimits } from "./RequestLimits.js";
import type { SeniorityCache } from "@seniority/seniority-cache";

/**
 * /SeniorityModel/InferSeniority, answered from the cache: every item, in request order, with its
 * own uuid (duplicates answered each time); the caller's deadline or cancellation ends its wait.
 * Served with StrictSeniorityModelDefinition: a company or title that is not valid UTF-8 is
 * INVALID_ARGUMENT naming the item, never decoded to U+FFFD and merged with other pairs.
 */
export function createInferService(
  cache: SeniorityCache,
  limits: RequestLimits,
): ServiceImplementation<typeof StrictSeniorityModelDefinition> {
  return {
    async inferSeniority(request, context): Promise<SeniorityResponseBatch> {
      const invalid = invalidUtf8In(request);
      if (invalid) throw new ServerError(Status.INVALID_ARGUMENT, describeInvalidUtf8(invalid));
      checkRequestLimits(request.batch, limits);
      const priority = priorityOf(context);
      const levels = await cache.infer(request.batch, {
        signal: context.signal,
        ...(priority ? { priority } : {}),
        ...(context.metadata.get(FORWARDED_METADATA_KEY) === "1" ? { forwarded: true } : {}),
      });
      return { batch: request.batch.map((item, i) => ({ uuid: item.uuid, seniority: levels[i]! })) };
    },
  };
}

function priorityOf(context: CallContext): Lane | undefined {
  const value = context.metadata.get(PRIORITY_METADATA_KEY);
  if (value === undefined) return undefined;
  if (!(LANES as readonly string[]).includes(value)) {
    throw new ServerError(
      Status.INVALID_ARGUMENT,
      `metadata ${PRIORITY_METADATA_KEY} must be one of ${LANES.join(", ")}, got "${value}"`,
    );
  }
  return value as Lane;
}
