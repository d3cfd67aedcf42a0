// Runs only the routing domain's tests, without the app-wide database setup they do not need.
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: decodeURIComponent(new URL("../..", import.meta.url).pathname),
  test: {
    include: ["app/routing/**/*.test.ts"],
  },
});
