// The whole way through the house against the shop simulator: Shopify's webhooks (duplicated,
// reordered, dropped) into the inbox, the worker, routing and the executor — ending with exactly
// one decision in effect and no change made twice on Shopify.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { ruleToStored, type Rule } from "~/routing";
import { intakeWebhook } from "~/webhooks/intake.server";
import {
  handleRefreshOrder,
  handleRouteOrder,
  processInbox,
  QUEUES,
} from "~/fulfilment/worker.server";
import { GATE_LEFT_EVENT, RECONCILE_GRACE_MS, reconcileShop } from "~/fulfilment/reconcile.server";
import { FULFILLMENT_ORDER_HOLD_MUTATION } from "~/shopify/operations";
import { selfFulfill } from "~/fulfilment/self-fulfill.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { routeOrderKey } from "~/fulfilment/queues";
import { setLogSink } from "~/utils/log.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { words } from "~/routing/words";
import { REVIEW_AND_TAG_PRINTS, withWorkerSuite } from "../support/worker-suite";
import { signedDelivery } from "../support/webhooks";

// The queue of the database under test: embedded on SQLite, pg-boss on PostgreSQL.
const { sim, deps: workerDeps, settle } = withWorkerSuite({ rules: [REVIEW_AND_TAG_PRINTS] });

/** How many times the app has read an order from the simulator (the OrderSnapshot and OrderRoutingSnapshot queries). */
async function orderReads(): Promise<number> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  const operations = stats.shops[sim.shop]?.operations ?? {};
  // The router reads with OrderRoutingSnapshot; merchant commands and screens with OrderSnapshot.
  return (operations.OrderSnapshot?.calls ?? 0) + (operations.OrderRoutingSnapshot?.calls ?? 0);
}

async function effects(orderId: string) {
  const state = await sim.orderState(orderId);
  return {
    holds: state.fulfillmentOrders.flatMap((f) => f.holds).length,
    cropTags: state.tags.filter((t) => t === "crop-check").length,
    decisions: await db.decision.count({ where: { orderId } }),
  };
}

describe("paid orders through the whole pipeline", () => {
  it("acknowledges each webhook delivered three times, stores it once and decides once", async () => {
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      deliver: { duplicates: 2 },
    } as Record<string, unknown>);
    await settle(deps);
    const log = await sim.control<{
      deliveries: { topic: string; status: string; attempts: unknown[] }[];
    }>("GET", `/_sim/webhooks?shop=${sim.shop}&topic=orders/paid`);
    expect(log.deliveries.every((d) => d.status === "delivered")).toBe(true);
    expect(
      await db.webhookDelivery.count({ where: { topic: "orders/paid", subjectId: orderId } }),
    ).toBe(1);
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
  });

  it("keeps the review queue current from the webhooks its own hold causes, without reading the order again", async () => {
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    const adminCalls = async () =>
      (await sim.control<{ shops: Record<string, { calls: number }> }>("GET", "/_sim/stats")).shops[
        sim.shop
      ]!.calls;
    const callsBefore = await adminCalls();
    // The review hold's fulfillment_orders/placed_on_hold and fulfillment_holds/added arrive.
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
    const topics = (
      await db.webhookDelivery.findMany({ where: { status: "processed" }, select: { topic: true } })
    ).map((d) => d.topic);
    expect(topics).toContain("fulfillment_orders/placed_on_hold");
    expect(await adminCalls()).toBe(callsBefore);
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([["ON_HOLD", "in_review"]]);
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
  });

  it("reads no order for the webhooks of its own review hold after a lab print went into review (placed in the release gate's stead, ADR 024)", async () => {
    const lab: Rule = {
      id: "rule-lab-review",
      name: "Lab prints wait for a look at the crop",
      enabled: true,
      position: 1,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "fulfilment_service", operator: "exists", value: true }],
      actions: [{ type: "hold_for_review" }],
    };
    await db.rule.create({ data: { ...ruleToStored(lab), shop: sim.shop } });
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    const reads = orderReads;
    const readsBefore = await reads();
    // The review hold echoes back as a webhook (the rules decided on the first read, so no gate
    // was placed and released: ADR 024).
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
    const topics = (
      await db.webhookDelivery.findMany({ where: { status: "processed" }, select: { topic: true } })
    ).map((d) => d.topic);
    expect(topics).toContain("fulfillment_holds/added");
    expect(topics).not.toContain("fulfillment_holds/released");
    expect(await reads()).toBe(readsBefore);
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([["ON_HOLD", "in_review"]]);
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((f) => f.holds.map((h) => h.handle))).toHaveLength(1);
  });

  it("opens, by reconciliation, a release gate whose hold landed on Shopify after the order was decided", async () => {
    const lab: Rule = {
      id: "rule-lab-review",
      name: "Lab prints wait for a look at the crop",
      enabled: true,
      position: 1,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "fulfilment_service", operator: "exists", value: true }],
      actions: [{ type: "hold_for_review" }],
    };
    await db.rule.create({ data: { ...ruleToStored(lab), shop: sim.shop } });
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    const handles = async () =>
      (await sim.orderState(orderId)).fulfillmentOrders.flatMap((f) =>
        f.holds.map((h) => h.handle),
      );
    const decided = await handles();
    expect(decided).toHaveLength(1);
    expect(decided).not.toContain("fr-gate");
    // A killed worker's gate request, still in flight, reaches Shopify after the next worker
    // decided the order: the app's own hold, with the gate's handle, beside the review hold.
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders;
    await sim.gateway.request(FULFILLMENT_ORDER_HOLD_MUTATION, {
      id: fo!.id,
      fulfillmentHold: { reason: "OTHER", handle: "fr-gate", notifyMerchant: false },
    });
    expect((await handles()).sort()).toEqual(["fr-gate", decided[0]].sort());
    // Its webhooks come in (the echo of the app's own hold changes nothing by itself).
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));

    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    try {
      // (The shop's other paid orders, never announced in this test, are found too.)
      expect(await reconcileShop(deps, sim.shop)).toMatchObject({ gated: 1 });
    } finally {
      restore();
    }
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ level: "warn", event: "reconcile.gate_left", orderId }),
    );
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
    // The gate is open, the rule's review hold stays, and the trace says why it was planned again.
    expect(await handles()).toEqual(decided);
    const again = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "service" },
    });
    expect(again.status).toBe("applied");
    expect(JSON.parse(again.explanation)).toContain(GATE_LEFT_EVENT);
    // Nothing behind the gate any more: the next run plans nothing again.
    expect(await reconcileShop(deps, sim.shop)).toMatchObject({ gated: 0 });
  });

  it("reads an order of digital lines only once: the echo of its own fulfillment reads nothing more", async () => {
    // Settings: digital downloads fulfilled automatically (the default).
    await db.shop.update({ where: { shop: sim.shop }, data: { digitalDownloads: "automatic" } });
    // The simulator seeds the shop afresh for every test, with new location ids: the locations an
    // earlier test's read kept are forgotten, as a new shop's would be.
    forgetLocations(sim.shop);
    const deps = await workerDeps();
    const readsBefore = await orderReads();
    const { orderId } = await sim.createOrder({
      lineItems: [
        { sku: "DIGITAL-FULL", quantity: 1 },
        { sku: "GIFT-50", quantity: 1 },
      ],
      payment: "paid",
    });
    await settle(deps);
    // The app's fulfillmentCreate comes back as fulfillments/create, which the worker handles.
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
    expect(
      await db.webhookDelivery.count({
        where: { topic: "fulfillments/create", status: "processed" },
      }),
    ).toBeGreaterThan(0);
    const state = await sim.orderState(orderId);
    expect(state.fulfillments.length).toBeGreaterThan(0);
    expect(state.fulfillmentOrders.every((fo) => fo.status === "CLOSED")).toBe(true);
    expect(await orderReads()).toBe(readsBefore + 1);
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === "CLOSED")).toBe(true);
  });

  it("reads the order again for a fulfillment the merchant made in the app, so the rules see it", async () => {
    // No rule holds the print: the merchant fulfills it in-house.
    await db.rule.deleteMany({ where: { shop: sim.shop } });
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    const fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
    const fulfilled = await selfFulfill(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      orderId,
      {
        fulfillmentOrderId: fo.id,
        lines: fo.lineItems.map((l) => ({ id: l.id, quantity: l.remainingQuantity })),
        company: null,
        number: null,
        url: null,
        notifyCustomer: false,
      },
    );
    expect(fulfilled).toMatchObject({ ok: true });
    const readsBefore = await orderReads();
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
    // The rules plan again on the fulfilled order (capture on fulfillment, say): one read.
    expect(await orderReads()).toBe(readsBefore + 1);
    const trace = await db.decision.findMany({ where: { orderId, trigger: "service" } });
    expect(trace.map((d) => d.explanation).join(" ")).toContain(
      JSON.stringify(words("shopifyEvents.fulfillmentCreated")),
    );
  });

  it("decides the same when Shopify delivers webhooks out of order", async () => {
    await sim.control("POST", "/_sim/faults", { reorderWebhooksWindowMs: 200 });
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 2 }],
      payment: "paid",
    });
    await settle(deps);
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
  });

  it("finds a paid order whose webhooks were dropped, by reconciliation, and routes it once", async () => {
    await sim.control("POST", "/_sim/faults", { dropWebhooksRate: 1 });
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await settle(deps);
    expect(await db.decision.count({ where: { orderId } })).toBe(0);
    // Paid moments ago: its webhook may still come, so reconciliation leaves it for now.
    expect((await reconcileShop(deps, sim.shop)).found).toBe(0);
    // Once its webhook is overdue, the next run finds it.
    const later = { ...deps, now: () => new Date(Date.now() + RECONCILE_GRACE_MS + 1000) };
    expect((await reconcileShop(later, sim.shop)).found).toBeGreaterThanOrEqual(1);
    // A second run in the same window finds nothing new to enqueue.
    await settle(deps);
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
  });

  it("routes again, by reconciliation and visibly, an order whose route job gave up", async () => {
    const deps = await workerDeps();
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await sim.webhooksDelivered();
    // The order's route job at its last attempt (12 in production; here its only one), taken
    // by the inbox for the acknowledged webhooks, and Shopify away for every try.
    await deps.queue.enqueue(
      QUEUES.routeOrder,
      { shop: sim.shop, orderId, trigger: "webhook" },
      { key: routeOrderKey(sim.shop, orderId), shop: sim.shop, maxAttempts: 1 },
    );
    while ((await processInbox(deps)) > 0);
    const away: AdminGateway = {
      shop: sim.shop,
      request: () => Promise.reject(new Error("Shopify answered 503")),
    };
    const failing = { ...deps, gatewayFor: async () => away };
    await deps.queue
      .drain(QUEUES.routeOrder, (job) => handleRouteOrder(failing, job))
      .catch(() => undefined);
    expect((await deps.queue.health(sim.shop, new Date())).failed).toBe(1);
    // Nothing reached Shopify; the decision it started stays unfinished.
    expect(await effects(orderId)).toMatchObject({ holds: 0, cropTags: 0 });
    expect(
      await db.decision.count({
        where: { orderId, status: { in: ["applied", "needs_attention"] } },
      }),
    ).toBe(0);
    // The job retried for longer than reconciliation's window: Shopify's list since the last
    // run no longer names the order.
    await db.shop.update({ where: { shop: sim.shop }, data: { reconciledUntil: new Date() } });

    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    try {
      expect(await reconcileShop(deps, sim.shop)).toEqual({
        found: 0,
        retried: 1,
        left: 0,
        gated: 0,
        answered: 0,
        finished: true,
      });
    } finally {
      restore();
    }
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "reconcile.retried_gave_up",
        shop: sim.shop,
        orderId,
        error: "Shopify answered 503",
      }),
    );
    // The retry carries on the decision the job started: one decision, every Step applied once.
    await settle(deps);
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
    expect((await db.decision.findFirstOrThrow({ where: { orderId } })).status).toBe("applied");
    expect((await deps.queue.health(sim.shop, new Date())).failed).toBe(0);
    // Decided now: the next run has nothing to ask again.
    expect(await reconcileShop(deps, sim.shop)).toEqual({
      found: 0,
      retried: 0,
      left: 0,
      gated: 0,
      answered: 0,
      finished: true,
    });
  });

  it("finishes an order whose worker died after Shopify applied a Step, without applying it twice", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await sim.webhooksDelivered();
    // The first worker's process dies right after its first mutation reached Shopify, before
    // it could record the outcome.
    let mutations = 0;
    const dying: AdminGateway = {
      shop: sim.shop,
      async request(document, variables) {
        const result = await sim.gateway.request(document, variables);
        if (/^\s*#graphql\s*mutation/.test(document) && ++mutations === 1)
          throw new Error("worker process killed");
        return result as never;
      },
    };
    const first = await workerDeps(dying);
    while ((await processInbox(first)) > 0);
    await first.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(first, job));
    expect(mutations).toBe(1);
    // Another worker takes the job again once its backoff passes, and finishes the order.
    const second = await workerDeps();
    await expect
      .poll(
        async () => {
          await second.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(second, job));
          return (await db.decision.findFirst({ where: { orderId } }))?.status;
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe("applied");
    expect(await effects(orderId)).toEqual({ holds: 1, cropTags: 1, decisions: 1 });
    expect((await db.decision.findFirstOrThrow({ where: { orderId } })).status).toBe("applied");
  });

  it("ignores a stale retry: a delivery older than one already handled for the same thing changes nothing", async () => {
    const deps = await workerDeps();
    const fulfillmentOrder = {
      fulfillment_order: { id: "gid://shopify/FulfillmentOrder/424242", status: "on_hold" },
    };
    const newer = signedDelivery({
      topic: "fulfillment_orders/placed_on_hold",
      shop: sim.shop,
      body: fulfillmentOrder,
      triggeredAt: "2026-11-24T10:00:05Z",
    });
    expect((await intakeWebhook(newer)).status).toBe(200);
    await processInbox(deps);
    // Shopify retries an earlier delivery about the same fulfillment order, with its original payload.
    const stale = signedDelivery({
      topic: "fulfillment_orders/placed_on_hold",
      shop: sim.shop,
      body: fulfillmentOrder,
      triggeredAt: "2026-11-24T10:00:01Z",
    });
    expect((await intakeWebhook(stale)).status).toBe(200);
    const jobsBefore = await db.job.count();
    await processInbox(deps);
    const rows = await db.webhookDelivery.findMany({
      where: { topic: "fulfillment_orders/placed_on_hold" },
      orderBy: { triggeredAt: "asc" },
    });
    expect(rows.map((r) => r.status)).toEqual(["ignored", "processed"]);
    expect(await db.job.count()).toBe(jobsBefore);
  });
});
