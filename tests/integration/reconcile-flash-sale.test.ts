// Reconciliation during a flash sale (ADR 051), driven the way Shopify drives it: signed webhooks
// from the simulator, the inbox, the worker and the reconciliation it runs as it starts. Shopify is
// asked only for the settled orders quiet for longer than the grace, so the sale's orders, whose
// webhooks are arriving and whose route jobs are queued, cost the run nothing from the shop's
// bucket; an order whose webhooks never came is found all the same.
import { afterEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { RECONCILE_GRACE_MS } from "~/fulfilment/reconcile.server";
import { startWorker, type WorkerHandle } from "~/fulfilment/worker.server";
import { operationName, type AdminGateway } from "~/shopify/gateway.server";
import type { PaidOrdersSinceQuery } from "~/types/admin.generated";
import { createPaidOrders } from "../support/orders-paid";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();

let worker: WorkerHandle | undefined;
let queue: JobQueue | undefined;
afterEach(async () => {
  await worker?.stop();
  await queue?.stop();
  worker = undefined;
  queue = undefined;
});

/** The orders of the sale, each one print. */
const SALE = 12;

const decisionsBy = (orderIds: string[], trigger: string) =>
  db.decision.count({
    where: { orderId: { in: orderIds }, trigger, status: { in: ["applied", "needs_attention"] } },
  });

describe("reconciliation during a flash sale", () => {
  it("reads none of the sale's orders, whose webhooks are arriving, and still routes the order whose webhooks never came", async () => {
    // GIVEN an order whose every webhook was lost, paid well over the grace before the sale
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    const missed = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await sim.resetFaults();
    const ahead = RECONCILE_GRACE_MS + 60_000;
    await sim.control("POST", "/_sim/clock", { advanceMs: ahead });
    // and the sale's orders paid now, their signed webhooks on their way to the app
    const sale = await createPaidOrders(sim, "PRINT-LUSTRE-A4", SALE);

    // WHEN a worker starts (its clock where Shopify's is), reconciling the shop as it does
    const listed: string[] = [];
    const gateway: AdminGateway = {
      shop: sim.shop,
      async request<TData, TVariables extends Record<string, unknown>>(
        document: string,
        variables?: TVariables,
      ): Promise<TData> {
        const data = await sim.gateway.request<TData, TVariables>(document, variables);
        if (operationName(document) === "PaidOrdersSince")
          listed.push(...(data as PaidOrdersSinceQuery).orders.nodes.map((o) => o.id));
        return data;
      },
    };
    queue = createJobQueue(db, process.env.DATABASE_URL!);
    worker = startWorker(
      { db, queue, gatewayFor: async () => gateway, now: () => new Date(Date.now() + ahead) },
      { inboxPollMs: 100, reconcileEveryMs: 60 * 60_000 },
    );

    // THEN the missed order is routed by reconciliation, the sale's by their webhooks
    await vi.waitFor(
      async () => {
        expect(await decisionsBy([missed.orderId], "reconciliation")).toBe(1);
        expect(await decisionsBy(sale, "webhook")).toBe(SALE);
      },
      { timeout: 30_000, interval: 200 },
    );
    // and Shopify's pages to reconciliation named the missed order and none of the sale's
    expect(listed).toContain(missed.orderId);
    expect(listed.filter((id) => sale.includes(id))).toEqual([]);
    expect(await decisionsBy(sale, "reconciliation")).toBe(0);
  });
});
