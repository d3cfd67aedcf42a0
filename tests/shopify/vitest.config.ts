// Vitest config for the Shopify schema, codegen and scope tests alone, without the app-wide setup files.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["tests/shopify/**/*.test.ts"],
    // Building the 2026-10 schema takes about a second and codegen about five.
    testTimeout: 30_000,
    pool: "forks",
  },
});
