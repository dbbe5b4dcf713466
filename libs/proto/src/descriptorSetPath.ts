import { fileURLToPath } from "node:url";

/**
 * Path of the FileDescriptorSet of every proto in proto/ (written by `npm run build:proto`),
 * used by gRPC server reflection.
 */
export const DESCRIPTOR_SET_PATH = fileURLToPath(new URL("../descriptor.binpb", import.meta.url));
