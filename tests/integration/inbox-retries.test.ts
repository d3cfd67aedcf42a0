// A stored delivery whose job could not be enqueued (the database away for a moment) stays in the
// inbox and is tried again with backoff; only after a bound is it marked failed, and logged.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { INBOX_MAX_ATTEMPTS, processInbox, type WorkerDeps } from "~/fulfilment/worker.server";
import { setLogSink } from "~/utils/log.server";
import { storeDeliveries } from "~/webhooks/inbox.server";
import { emptyTables } from "../support/integration";
import { installShop } from "../support/install";

const shop = "inbox-retries.myshopify.com";
let clock = new Date("2026-12-01T10:00:00Z");
let lines: Array<Record<string, unknown>> = [];
let restore: () => void;

beforeEach(async () => {
  await emptyTables(db);
  // The worker drops an uninstalled shop's deliveries (ADR 045): the shop has the app.
  await installShop(db, shop);
  clock = new Date("2026-12-01T10:00:00Z");
  lines = [];
  restore = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  await storeDeliveries(db, [
    {
      webhookId: "paid-1",
      topic: "orders/paid",
      shop,
      payload: { id: 1, admin_graphql_api_id: "gid://shopify/Order/1" },
    },
  ]);
});
afterEach(() => restore());

/** The real queue, whose enqueue fails the first `failures` times as a locked database would. */
function flakyQueue(failures: number): JobQueue {
  const queue = createEmbeddedQueue(db, { now: () => clock });
  let left = failures;
  return {
    ...queue,
    async enqueue(...args) {
      if (left-- > 0) throw new Error("SQLITE_BUSY: database is locked");
      return queue.enqueue(...args);
    },
  };
}

const deps = (queue: JobQueue): WorkerDeps => ({
  db,
  queue,
  now: () => clock,
  gatewayFor: () => Promise.reject(new Error("no Admin API in this test")),
});

describe("the inbox under a passing database error", () => {
  it("keeps the delivery, counts the attempt and enqueues it once the database is back", async () => {
    const queue = flakyQueue(2);
    await processInbox(deps(queue));
    let row = await db.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "paid-1" } });
    expect(row).toMatchObject({ status: "received", attempts: 1 });
    expect(row.error).toMatch(/SQLITE_BUSY/);
    // Waiting out its backoff: not tried again yet.
    expect(await processInbox(deps(queue))).toBe(0);
    clock = new Date(clock.getTime() + 1000);
    await processInbox(deps(queue));
    clock = new Date(clock.getTime() + 2000);
    await processInbox(deps(queue));
    row = await db.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "paid-1" } });
    expect(row).toMatchObject({ status: "processed", attempts: 2, error: null });
    expect(await db.job.count({ where: { queue: "route-order" } })).toBe(1);
    expect(lines.filter((l) => l.event === "webhook.enqueue_failed")).toHaveLength(2);
  });

  it("gives up after the bound, visibly: marked failed and logged with the shop and order", async () => {
    const queue = flakyQueue(Number.POSITIVE_INFINITY);
    for (let i = 0; i < INBOX_MAX_ATTEMPTS + 2; i++) {
      await processInbox(deps(queue));
      clock = new Date(clock.getTime() + 10 * 60_000);
    }
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "paid-1" } });
    expect(row).toMatchObject({ status: "failed", attempts: INBOX_MAX_ATTEMPTS });
    expect(lines.filter((l) => l.event === "webhook.gave_up")).toEqual([
      expect.objectContaining({ shop, orderId: "gid://shopify/Order/1", webhookId: "paid-1" }),
    ]);
  });
});
