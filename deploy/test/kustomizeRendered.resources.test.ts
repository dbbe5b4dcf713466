import { readFileSync } from "node:fs";
import { durationMs } from "@seniority/cli-options";
import { queueHeapBudget, queueHeapProblem } from "@seniority/seniority-cache";
import { expect, it } from "vitest";
import { objectId } from "./support/K8sObject.js";
import { DEPLOY_DIR } from "./support/paths.js";
import { environment, mebibytes, one } from "./support/renderedVariants.js";
import { describeRenderedVariants } from "./support/describeRenderedVariants.js";

// The rendered manifests of every variant (see describeRenderedVariants).
// This file: graceful stops, requests and limits, heap caps and queues, the model's capacity.

/** Room a container's memory limit keeps beyond its V8 old-space cap (young generation included). */
const OFF_HEAP_MIB = 192;
/** The largest semi-space a container may let V8 pick: the young generation is 3 of them. */
const MAX_SEMI_SPACE_MIB = 16;
/** The model's capacity, items/s (docs/spec.md): the replicas share it (--model-capacity is the total). */
const MODEL_CAPACITY = 1000;

const dockerfile = readFileSync(`${DEPLOY_DIR}/Dockerfile`, "utf8");

describeRenderedVariants(({ objects, containers }) => {
  it("stops gracefully: grace period covers preStop sleep and the drain budget", () => {
    for (const { owner, template, container } of containers) {
      const env = environment(objects, container);
      const sleep = Number(container.lifecycle?.preStop?.exec?.command[1] ?? 0);
      const drainMs = env["SENIORITY_GRACE"] ? durationMs(env["SENIORITY_GRACE"]) : 0;
      const grace = template.spec.terminationGracePeriodSeconds ?? 30;
      expect(grace, objectId(owner)).toBeGreaterThanOrEqual(sleep + drainMs / 1000 + 5);
    }
    const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
    expect(cache.container.lifecycle?.preStop?.exec?.command).toEqual(["sleep", "5"]);
  });

  it("sets requests and limits, a heap cap below the memory limit, and the image's non-root user", () => {
    const user = Number(/^USER (\d+):\d+$/m.exec(dockerfile)?.[1]);
    for (const { owner, template, container } of containers) {
      const resources = container.resources;
      for (const kind of ["requests", "limits"] as const) {
        expect(Object.keys(resources?.[kind] ?? {}).sort(), `${objectId(owner)} ${kind}`).toEqual([
          "cpu",
          "memory",
        ]);
      }
      const limitMiB = mebibytes(resources!.limits!["memory"]!);
      const nodeOptions = environment(objects, container)["NODE_OPTIONS"] ?? "";
      const heap = /--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1];
      // What lives outside the V8 heap (code, gRPC, Redis and S3 buffers) needs room too: the
      // proxy's RSS was ~130 MB above its heap when measured. So does the young generation,
      // which the old-space cap does not bound: Node 24 sizes it up to 192 MB unless told.
      if (heap) {
        expect(Number(heap), `${objectId(owner)} heap`).toBeLessThanOrEqual(limitMiB - OFF_HEAP_MIB);
        const semi = Number(/--max-semi-space-size=(\d+)/.exec(nodeOptions)?.[1]);
        expect(semi, `${objectId(owner)} --max-semi-space-size`).toBeLessThanOrEqual(MAX_SEMI_SPACE_MIB);
      }
      expect(template.spec.securityContext, objectId(owner)).toMatchObject({
        runAsNonRoot: true,
        runAsUser: user,
      });
      expect(container.securityContext, objectId(owner)).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
    }
  });

  it("gives the proxy a miss queue its heap cap can hold beside a full L1 (else it refuses to start)", () => {
    const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
    const env = environment(objects, cache.container);
    const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(env["NODE_OPTIONS"] ?? "")?.[1]);
    expect(heapMiB, "seniority-cache heap cap").toBeGreaterThan(0);
    // The old space only: the real heap limit is a little larger (young generation).
    const budget = queueHeapBudget({
      l1Entries: Number(env["SENIORITY_CACHE_L1_ENTRIES"] ?? 1_000_000),
      heapLimitBytes: heapMiB * 2 ** 20,
    });
    const bulk = Number(env["SENIORITY_CACHE_MAX_QUEUED"] ?? budget.defaultMaxQueued);
    const interactive = Number(env["SENIORITY_CACHE_MAX_QUEUED_INTERACTIVE"] ?? Math.ceil(bulk / 10));
    expect(queueHeapProblem(bulk + interactive, budget)).toBeUndefined();
  });

  it("gives the proxies the model's total capacity, shared in Redis, and a replicas hint equal to the replicas", () => {
    const deployment = one(objects, "Deployment", "seniority-cache");
    const replicas = (deployment.spec as { replicas: number }).replicas;
    const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
    const env = environment(objects, cache.container);
    // --model-capacity is the total (shared pacing); each replica alone gets capacity / hint.
    expect(env["SENIORITY_CACHE_MODEL_CAPACITY"]).toBe(String(MODEL_CAPACITY));
    expect(env["SENIORITY_CACHE_SHARED_PACING"] ?? "true").toBe("true");
    expect(env["SENIORITY_CACHE_REPLICAS_HINT"]).toBe(String(replicas));
  });
});
