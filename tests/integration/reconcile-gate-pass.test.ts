// Reconciliation's gate pass (ADR 054), driven the way Shopify drives it: signed webhooks from the
// simulator, the inbox, the worker and the reconciliation it runs at each start. The pass reads on
// from a mark of its own, so a fulfillment order held for review is read once per change, not at
// every run for a day; every gate still on holds the mark back, so a gate whose order was not yet
// decided when a run read it is found by a later run, its fulfillment order unchanged since. Its
// mark is read with the paid orders' list's, in the run's one read of the shop's row.
import { afterEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import { handleReconcile, RECONCILE_GRACE_MS, reconcileShop } from "~/fulfilment/reconcile.server";
import {
  handleRefreshOrder,
  QUEUES,
  startWorker,
  type WorkerHandle,
} from "~/fulfilment/worker.server";
import { FULFILLMENT_ORDER_HOLD_MUTATION } from "~/shopify/operations";
import { operationName, type AdminGateway } from "~/shopify/gateway.server";
import type { HeldFulfillmentOrdersSinceQuery } from "~/types/admin.generated";
import { statementsDuring } from "../support/integration";
import { createPaidOrders } from "../support/orders-paid";
import { REVIEW_LAB_PRINTS, withWorkerSuite } from "../support/worker-suite";

const { sim, deps: workerDeps, settle } = withWorkerSuite({ rules: [REVIEW_LAB_PRINTS] });

let worker: WorkerHandle | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

/** The sale's lab prints, each held for review. */
const HELD = 4;

/** The simulator's gateway, noting the gate pass's pages and the fulfillment orders they name. */
function countingGateway(read: { pages: number; ids: string[] }): AdminGateway {
  return {
    shop: sim.shop,
    async request<TData, TVariables extends Record<string, unknown>>(
      document: string,
      variables?: TVariables,
    ): Promise<TData> {
      const data = await sim.gateway.request<TData, TVariables>(document, variables);
      if (operationName(document) === "HeldFulfillmentOrdersSince") {
        read.pages++;
        read.ids.push(
          ...(data as HeldFulfillmentOrdersSinceQuery).fulfillmentOrders.nodes.map((f) => f.id),
        );
      }
      return data;
    },
  };
}

const reviewed = (orderIds: string[]) =>
  db.fulfillmentOrderRecord.count({
    where: { shop: sim.shop, orderId: { in: orderIds }, outcome: "in_review" },
  });

describe("reconciliation's gate pass", () => {
  it("reads a fulfillment order held for review once, not again at the next worker's start", async () => {
    // GIVEN a sale's lab prints, routed through their signed webhooks and held for review
    const ahead = RECONCILE_GRACE_MS + 60_000;
    // Each worker's clock where Shopify's is: moved on past the grace after the sale.
    let offset = 0;
    const now = () => new Date(Date.now() + offset);
    // Each worker with a queue of its own (stopping the worker stops its queue).
    const start = (read: { pages: number; ids: string[] }) =>
      startWorker(
        {
          db,
          queue: createJobQueue(db, process.env.DATABASE_URL!),
          gatewayFor: async () => countingGateway(read),
          now,
        },
        { inboxPollMs: 100, reconcileEveryMs: 60 * 60_000 },
      );
    worker = start({ pages: 0, ids: [] });
    const sale = await createPaidOrders(sim, "LAB-METALLIC-30x45", HELD);
    await vi.waitFor(async () => expect(await reviewed(sale)).toBe(HELD), {
      timeout: 30_000,
      interval: 200,
    });
    await worker.stop();
    worker = undefined;
    // and Shopify's clock past the grace (the worker's is where Shopify's is)
    await sim.control("POST", "/_sim/clock", { advanceMs: ahead });
    offset = ahead;
    const held = (
      await db.fulfillmentOrderRecord.findMany({
        where: { shop: sim.shop, orderId: { in: sale }, outcome: "in_review" },
      })
    ).map((r) => r.fulfillmentOrderId);
    expect(held).toHaveLength(HELD);

    // WHEN a worker starts, then another (a deploy), each reconciling the shop as it starts
    const first = { pages: 0, ids: [] as string[] };
    worker = start(first);
    await vi.waitFor(() => expect(first.ids.filter((id) => held.includes(id))).toHaveLength(HELD), {
      timeout: 30_000,
      interval: 200,
    });
    await worker.stop();
    const second = { pages: 0, ids: [] as string[] };
    worker = start(second);
    // (one page: the held fulfillment orders fit on the first)
    await vi.waitFor(() => expect(second.pages).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 200,
    });

    // THEN the first read the held fulfillment orders, the second none of them: nothing changed
    expect(second.ids.filter((id) => held.includes(id))).toEqual([]);
  });

  it("finds a gate whose order was still being decided when a run read it, at a later run, its fulfillment order unchanged", async () => {
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    // GIVEN a killed worker's gate request landing on Shopify while the order's decision is still
    // being applied (not yet applied: the order counts as undecided)
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders;
    await sim.gateway.request(FULFILLMENT_ORDER_HOLD_MUTATION, {
      id: fo!.id,
      fulfillmentHold: { reason: "OTHER", handle: "fr-gate", notifyMerchant: false },
    });
    const decision = await db.decision.findFirstOrThrow({ where: { orderId, status: "applied" } });
    await db.decision.update({ where: { id: decision.id }, data: { status: "applying" } });
    const ahead = RECONCILE_GRACE_MS + 60_000;
    await sim.control("POST", "/_sim/clock", { advanceMs: ahead });
    const later = { ...deps, now: () => new Date(Date.now() + ahead) };

    // WHEN a run reads the gate then, and the decision is applied after it (the gated fulfillment
    // order unchanged since)
    expect(await reconcileShop(later, sim.shop)).toMatchObject({ gated: 0 });
    await db.decision.update({ where: { id: decision.id }, data: { status: "applied" } });

    // THEN the next run finds the gate and plans the order again, which opens it
    expect(await reconcileShop(later, sim.shop)).toMatchObject({ gated: 1 });
    await later.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(later, job));
    const handles = (await sim.orderState(orderId)).fulfillmentOrders.flatMap((f) =>
      f.holds.map((h) => h.handle),
    );
    expect(handles).not.toContain("fr-gate");
    expect(handles).toHaveLength(1);
  });

  it("reads the shop's marks once a run, for the paid orders' list and the gate pass alike", async () => {
    // GIVEN a lab print routed and held for review, its webhooks long overdue
    const deps = await workerDeps();
    await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    const ahead = RECONCILE_GRACE_MS + 60_000;
    await sim.control("POST", "/_sim/clock", { advanceMs: ahead });
    const read = { pages: 0, ids: [] as string[] };
    const later = {
      ...deps,
      gatewayFor: async () => countingGateway(read),
      now: () => new Date(Date.now() + ahead),
    };

    // WHEN the shop is reconciled twice, as the worker's job runs it: without marks, then from
    // the marks the first run left
    for (const id of ["first-run", "next-run"]) {
      const pagesBefore = read.pages;
      const sent = await statementsDuring(db, () =>
        handleReconcile(later, {
          id,
          queue: QUEUES.reconcile,
          shop: sim.shop,
          payload: { shop: sim.shop },
          attempts: 1,
        }),
      );

      // THEN each run read the shop's row once, though both passes that need its marks went
      // through (the gate pass, the last of them, asked Shopify for held fulfillment orders)
      expect(read.pages, id).toBeGreaterThan(pagesBefore);
      expect(
        sent.filter((q) => readsShop(q.sql)).map((q) => q.sql),
        id,
      ).toHaveLength(1);
    }
  });
});

/** Whether a statement reads the Shop table: a SELECT from it, not a write of its row. */
const readsShop = (sql: string) =>
  !/^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql) &&
  /\b(FROM|JOIN)\s+(\S+\.)?[`"]?Shop[`"]?(\s|$)/i.test(sql);
