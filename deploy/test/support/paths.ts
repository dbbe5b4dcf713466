import { fileURLToPath } from "node:url";

/** The repository root and deploy/ (absolute, no trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
export const DEPLOY_DIR = `${REPO_ROOT}/deploy`;
export const K8S_DIR = `${DEPLOY_DIR}/k8s`;
