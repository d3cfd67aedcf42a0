// The browser suite: Debian's Chromium driven by playwright-core against the built app.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    // A file's first test also starts its demo (the harness's file fixtures): allow for both.
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // expect.poll waits 1 s by default: on a loaded machine a save's round trip through the built
    // app takes longer, and the screen is then read before it answered (a flaky failure, not a bug).
    expect: { poll: { timeout: 20_000 } },
  },
});
