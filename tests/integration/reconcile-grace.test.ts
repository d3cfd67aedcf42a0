// Reconciliation through the worker waits for a paid order's webhook (ADR 027): an order paid
// moments ago whose webhooks have not come is left to them by the run at the worker's start; once
// they are overdue, the next run routes the order, as reconciliation.
import { afterEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { QUEUES, startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { RECONCILE_GRACE_MS } from "~/fulfilment/reconcile.server";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();

let worker: WorkerHandle | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe("reconciliation and a late webhook", () => {
  it("leaves an order paid moments ago to its webhook, and routes it once the webhook is overdue", async () => {
    // Every webhook of the order is lost: only reconciliation can find it.
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    // The worker's clock, moved on by the test; a run every second of it (a slot per second).
    let ahead = 0;
    worker = startWorker(
      {
        db,
        queue: createEmbeddedQueue(db),
        gatewayFor: async () => sim.gateway,
        now: () => new Date(Date.now() + ahead),
      },
      { reconcileEveryMs: 1000, inboxPollMs: 100 },
    );
    // The run at the worker's start asked Shopify and moved the shop's mark on: the order was
    // paid moments ago, so no route job for it, and the mark stays before it for the next run.
    const mark = await vi.waitFor(
      async () => {
        const { reconciledUntil } = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
        expect(reconciledUntil).not.toBeNull();
        return reconciledUntil!;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(await db.job.count({ where: { queue: QUEUES.routeOrder } })).toBe(0);
    expect(mark.getTime()).toBeLessThanOrEqual(Date.now() - RECONCILE_GRACE_MS + 1000);

    // Its webhook overdue: the next run routes it, and the decision says reconciliation did.
    ahead = RECONCILE_GRACE_MS + 1000;
    await vi.waitFor(
      async () =>
        expect(
          await db.decision.count({
            where: {
              orderId,
              trigger: "reconciliation",
              status: { in: ["applied", "needs_attention"] },
            },
          }),
        ).toBe(1),
      { timeout: 30_000, interval: 200 },
    );
  });
});
