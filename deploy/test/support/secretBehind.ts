import type { Container } from "./K8sObject.js";
import type { Pod } from "./renderedVariants.js";

/** The Secret and key a file path in `container` comes from (through its volume mounts). */
export function secretBehind(
  pod: Pod,
  container: Container,
  path: string,
): { secret: string; key: string } | undefined {
  for (const mount of container.volumeMounts ?? []) {
    if (!path.startsWith(`${mount.mountPath}/`)) continue;
    const file = path.slice(mount.mountPath.length + 1);
    const volume = (pod.template.spec.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume?.secret) return undefined;
    const item = volume.secret.items?.find((i) => i.path === file);
    if (volume.secret.items && !item) return undefined;
    return { secret: volume.secret.secretName, key: item?.key ?? file };
  }
  return undefined;
}
