import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The services' package names (services/seniority-cache is @seniority/seniority-cache-service). */
const SERVICE_PACKAGES = [
  "@seniority/augmenter",
  "@seniority/model-sim",
  "@seniority/seniority-cache-service",
  "@seniority/cli",
];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "libs/proto/src/gen/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS helper processes (s3rver has no ESM entry).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        TextDecoder: "readonly",
        TextEncoder: "readonly",
        performance: "readonly",
        queueMicrotask: "readonly",
        setImmediate: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@seniority/*/src/*", "../../*/src/*"],
              message: "Use the package's index (its only door).",
            },
          ],
        },
      ],
    },
  },
  {
    // The dependency rule (docs/architecture.md): libraries never import a service, nor commander
    // (command-line code lives in services; libs/cli-options, the flag parsers they share, is the
    // one library built on it).
    files: ["libs/*/src/**/*.ts"],
    ignores: ["libs/cli-options/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "commander", message: "CLI code lives in services/, not in libs/." }],
          patterns: [
            { group: SERVICE_PACKAGES, message: "libs/* never import services/*." },
            {
              group: ["@seniority/*/src/*", "../../*/src/*"],
              message: "Use the package's index (its only door).",
            },
          ],
        },
      ],
    },
  },
  {
    // No service imports another one, except the composition root (services/cli).
    files: [
      "services/augmenter/src/**/*.ts",
      "services/model-sim/src/**/*.ts",
      "services/seniority-cache/src/**/*.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: SERVICE_PACKAGES,
              message: "Only services/cli composes services; depend on a libs/* package.",
            },
            {
              group: ["@seniority/*/src/*", "../../*/src/*"],
              message: "Use the package's index (its only door).",
            },
          ],
        },
      ],
    },
  },
);
