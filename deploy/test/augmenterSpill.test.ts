import { describe, expect, it } from "vitest";
import { objectId } from "./support/K8sObject.js";
import { KUBECTL } from "./support/renderKustomization.js";
import { environment, pods, rendered, VARIANTS } from "./support/renderedVariants.js";

// The augmenter's root filesystem is read-only, and outputs over --spill-bytes are buffered in a
// temp file: every rendered augmenter must point --spill-dir (SENIORITY_SPILL_DIR) at a writable,
// sized emptyDir, or every file over 8 MiB fails with EROFS.

interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  emptyDir?: { sizeLimit?: string; medium?: string };
}

describe.skipIf(!KUBECTL)("augmenter spill directory in the rendered manifests", () => {
  describe.each(VARIANTS)("$name", (variant) => {
    const objects = rendered(variant);
    const augmenters = pods(objects).flatMap(({ owner, template }) =>
      template.spec.containers
        .filter((container) => container.args?.[0] === "services/augmenter/dist/main.js")
        .map((container) => ({ owner, template, container })),
    );

    it("mounts a sized emptyDir, writable, at SENIORITY_SPILL_DIR", () => {
      expect(augmenters.length).toBeGreaterThanOrEqual(1);
      for (const { owner, template, container } of augmenters) {
        const id = objectId(owner);
        expect(container.securityContext?.["readOnlyRootFilesystem"], id).toBe(true);
        const spillDir = environment(objects, container)["SENIORITY_SPILL_DIR"];
        expect(spillDir, id).toBe("/spill");
        const mounts = (container as { volumeMounts?: VolumeMount[] }).volumeMounts ?? [];
        const mount = mounts.find((m) => m.mountPath === spillDir);
        expect(mount, id).toBeDefined();
        expect(mount!.readOnly ?? false, id).toBe(false);
        const volumes = (template.spec as { volumes?: Volume[] }).volumes ?? [];
        const volume = volumes.find((v) => v.name === mount!.name);
        expect(volume?.emptyDir, id).toEqual({ sizeLimit: "2Gi" });
      }
    });
  });
});
