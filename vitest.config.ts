import { defineConfig } from "vitest/config";

// Tests import workspace packages through their built index (npm test builds first), exactly as
// production code does.
export default defineConfig({
  test: {
    include: [
      "libs/*/test/**/*.test.ts",
      "services/*/test/**/*.test.ts",
      "test/**/*.test.ts",
      "deploy/test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { SENIORITY_LOG_LEVEL: "silent" },
    pool: "forks",
  },
});
