// The integration suite again on PostgreSQL with the pg-boss queue (DATABASE_URL=postgresql://…),
// on one throwaway server started for the run. Part of `npm test` (scripts/test.sh).
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // What touches the database and the queue; the migrations and inbox tests cover both databases
    // themselves, and the rest (HMAC, the app's toml) has no database.
    include: [
      "tests/integration/pipeline.test.ts",
      "tests/integration/gave-up.test.ts",
      "tests/integration/failure-logs.test.ts",
      "tests/integration/route-order.test.ts",
      "tests/integration/rule-edit-next-order.test.ts",
      "tests/integration/conditions-and-actions.test.ts",
      "tests/integration/webhooks.test.ts",
      "tests/integration/webhook-intake-server.test.ts",
      "tests/integration/bulk-start.test.ts",
      "tests/integration/bulk-items.test.ts",
      "tests/integration/inbox-sharing.test.ts",
      "tests/integration/inbox-query-plans.test.ts",
      "tests/integration/long-passes.test.ts",
      "tests/integration/privacy.test.ts",
      "tests/integration/bad-input.test.ts",
      "tests/integration/retention.test.ts",
      "tests/integration/tenant-stuck-bulk.test.ts",
      "tests/integration/stuck-and-drift.test.ts",
      "tests/integration/settled-orders.test.ts",
      "tests/integration/settled-lab-answers.test.ts",
      "tests/integration/settled-first-webhook.test.ts",
      "tests/integration/settled-plus.test.ts",
      "tests/integration/settled-split.test.ts",
      "tests/integration/hold-again.test.ts",
      "tests/integration/move-to-occupied.test.ts",
      "tests/integration/inbox-retries.test.ts",
      "tests/integration/one-order-across-workers.test.ts",
      "tests/integration/cancel-order.test.ts",
      "tests/integration/remake-order.test.ts",
      "tests/integration/tenant-order-routes.test.ts",
      "tests/integration/order-lock.test.ts",
      "tests/integration/worker-connections.test.ts",
      "tests/integration/worker-wake-processes.test.ts",
      "tests/integration/orders-in-line.test.ts",
      "app/fulfilment/**/*.test.ts",
    ],
    setupFiles: ["tests/setup/setup-each-postgres.ts"],
    globalSetup: ["tests/setup/global.ts", "tests/setup/postgres-global.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
