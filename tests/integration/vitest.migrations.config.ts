// Vitest config for the migrations test alone, with the shared test setup:
//   vitest run tests/integration/migrations.test.ts --config tests/integration/vitest.migrations.config.ts
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  root: new URL("../..", import.meta.url).pathname,
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/integration/migrations.test.ts"],
    setupFiles: ["tests/setup/setup-each.ts"],
    globalSetup: ["tests/setup/global.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
