// What Shopify still sends just after an uninstall is dropped by the worker (ADR 045), driven the way
// Shopify and the processes drive it, on the database and queue under test (SQLite, or PostgreSQL +
// pg-boss): signed deliveries to one web process, which believes the shop installed for a while
// after another web process took app/uninstalled, are stored and then deleted by the worker's pass
// instead of becoming jobs; a route job that slipped through ends at its first failure, neither
// retried nor given up; and the shop installing again gets its new work, and the order paid
// meanwhile, as any shop does.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { JobQueue } from "~/jobs/queue";
import type * as UninstallRoute from "~/routes/webhooks.app.uninstalled";
import { signedDelivery, respond } from "../support/webhooks";
import { startShopSimulator } from "../support/shop-simulator";
import { emptyTables } from "../support/integration";

// The app reads its environment once, on first import: the simulator must be running first, and the
// worker's gateway reaches it as it would reach Shopify (the shop's offline session, or nothing).
const sim = await startShopSimulator();
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const { jobQueue } = await import("~/process-queue.server");
const { ensureShop } = await import("~/services/shops.server");
const { forgetGateway, gatewayForJobs } = await import("~/gateways.server");
const { reconcileShop } = await import("~/fulfilment/reconcile.server");
const { processInbox, queueHandlers, QUEUES } = await import("~/fulfilment/worker.server");
const { setLogSink } = await import("~/utils/log.server");
const { forgetInstalled } = await import("~/webhooks/installed.server");
/** Web process A: the webhook routes Shopify's deliveries reach. */
const webA = {
  "orders/create": await import("~/routes/webhooks.orders.create"),
  "orders/paid": await import("~/routes/webhooks.orders.paid"),
  "fulfillment_orders/order_routing_complete":
    await import("~/routes/webhooks.fulfillment_orders.order_routing_complete"),
};
type Topic = keyof typeof webA;

/**
 * Web process B, which takes app/uninstalled: the app's modules loaded again, so it remembers
 * which shops are installed on its own, as another process does (the database is the same).
 */
let webB: typeof UninstallRoute;
beforeAll(async () => {
  vi.resetModules();
  webB = await import("~/routes/webhooks.app.uninstalled");
});
afterAll(async () => {
  await jobQueue().stop();
  await sim.stop();
});

const shop = sim.shop;
let lines: Record<string, unknown>[] = [];
beforeEach(async () => {
  await sim.reset();
  await emptyTables(db);
  forgetInstalled();
  forgetGateway(shop);
  lines = [];
  const restore = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return restore;
});

/** The shop installs the app: token exchange's offline session and the Shop row afterAuth makes. */
async function install() {
  const { accessToken } = await sim.control<{ accessToken: string }>("POST", "/_sim/tokens", {
    shop,
  });
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken },
    update: { accessToken },
  });
  await ensureShop(db, shop);
}

/** A paid order placed at checkout, and what Shopify sends about it, as the simulator logged it. */
async function paidOrder() {
  const { orderId, fulfillmentOrderIds } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
  });
  const { deliveries } = await sim.control<{
    deliveries: { topic: string; payload: Record<string, unknown> }[];
  }>("GET", `/_sim/webhooks?shop=${shop}`);
  const about = (payload: Record<string, unknown>) =>
    payload.admin_graphql_api_id === orderId ||
    fulfillmentOrderIds.includes(
      (payload.fulfillment_order as { id?: string } | undefined)?.id ?? "",
    );
  return {
    orderId,
    deliveries: deliveries.filter((d) => d.topic in webA && about(d.payload)) as {
      topic: Topic;
      payload: Record<string, unknown>;
    }[],
  };
}

/** Shopify's signed delivery reaching web process A; answers its status. */
async function deliverToA(topic: Topic, payload: Record<string, unknown>) {
  return (await respond(webA[topic].action, signedDelivery({ topic, shop, body: payload }))).status;
}

/** app/uninstalled reaching web process B. */
async function uninstallAtB() {
  const res = await respond(
    webB.action,
    signedDelivery({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }),
  );
  expect(res.status).toBe(200);
}

/** Admin API calls the shop's app made on Shopify so far. */
async function callsOnShopify(): Promise<number> {
  const stats = await sim.control<{ shops: Record<string, { calls: number }> }>(
    "GET",
    "/_sim/stats",
  );
  return stats.shops[shop]?.calls ?? 0;
}

/** The worker as production runs it: the process's queue, the shop's offline session for Shopify. */
function worker(queue: JobQueue = jobQueue()) {
  return { db, queue, gatewayFor: gatewayForJobs, now: () => new Date() };
}

/** Runs a queue's due jobs with the handler startWorker gives it; answers how many ran. */
function drain(deps: ReturnType<typeof worker>, name: keyof typeof QUEUES) {
  const handler = queueHandlers(deps.queue)[name];
  return deps.queue.drain(QUEUES[name], (job) => handler(deps, job));
}

const events = (name: string) => lines.filter((l) => l.event === name);

describe("deliveries after app/uninstalled", () => {
  it("are deleted by the worker's pass, not turned into jobs: nothing routed, no call to Shopify, nothing retried", async () => {
    await install();
    // Web process A takes a delivery while the shop is installed, and remembers it so.
    const before = await paidOrder();
    expect(await deliverToA("orders/paid", before.deliveries[0]!.payload)).toBe(200);
    await uninstallAtB();
    expect(await db.session.count({ where: { shop } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);

    // Shopify keeps sending what it had queued: an order paid just before the uninstall. Web
    // process A still believes the shop installed and stores it.
    const late = await paidOrder();
    for (const d of late.deliveries) expect(await deliverToA(d.topic, d.payload)).toBe(200);
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(late.deliveries.length);
    expect(late.deliveries.map((d) => d.topic)).toContain("orders/paid");

    const calls = await callsOnShopify();
    const deps = worker();
    expect(await processInbox(deps)).toBe(late.deliveries.length);
    // Deleted, not kept for shop/redact, and logged once for the pass with how many.
    expect(await db.webhookDelivery.count({ where: { shop } })).toBe(0);
    expect(events("webhook.not_installed")).toEqual([
      expect.objectContaining({ shop, dropped: late.deliveries.length }),
    ]);
    // Nothing to retry, no job, nothing routed, Shopify never asked.
    expect(await processInbox(deps)).toBe(0);
    expect(await drain(deps, "routeOrder")).toBe(0);
    expect(await drain(deps, "refreshOrder")).toBe(0);
    expect(await deps.queue.health(shop, new Date())).toMatchObject({
      queued: 0,
      running: 0,
      failed: 0,
    });
    expect(await db.decision.count({ where: { shop } })).toBe(0);
    expect(await db.fulfillmentOrderRecord.count({ where: { shop } })).toBe(0);
    expect(await callsOnShopify()).toBe(calls);
    expect((await sim.orderState(late.orderId)).fulfillmentOrders.flatMap((f) => f.holds)).toEqual(
      [],
    );
  });

  it("ends a route job that slipped through at its first failure: not retried, not given up, nothing left", async () => {
    await install();
    const { orderId } = await leftoverRouteJob();
    const deps = worker();
    const calls = await callsOnShopify();

    expect(await drain(deps, "routeOrder")).toBe(1);
    expect(events("job.not_installed")).toEqual([
      expect.objectContaining({ queue: QUEUES.routeOrder, shop, orderId, attempt: 1 }),
    ]);
    expect(events("job.gave_up")).toEqual([]);
    // Not waiting for a retry, not failed, no row needing attention: nothing a reinstall would show.
    expect(await drain(deps, "routeOrder")).toBe(0);
    expect(await deps.queue.health(shop, new Date())).toMatchObject({
      queued: 0,
      running: 0,
      failed: 0,
    });
    expect(await deps.queue.gaveUp(QUEUES.routeOrder, shop, 10)).toEqual([]);
    expect(await db.fulfillmentOrderRecord.count({ where: { shop } })).toBe(0);
    expect(await db.decision.count({ where: { shop } })).toBe(0);
    expect(await callsOnShopify()).toBe(calls);
  });

  it("lets a shop that installs again have its new orders routed, and the order paid meanwhile by reconciliation", async () => {
    await install();
    const { orderId: meanwhile } = await leftoverRouteJob();
    const deps = worker();
    expect(await drain(deps, "routeOrder")).toBe(1);

    // The merchant installs again; Shopify sends a new order's webhooks to web process A.
    await install();
    const next = await paidOrder();
    for (const d of next.deliveries) expect(await deliverToA(d.topic, d.payload)).toBe(200);
    expect(await processInbox(deps)).toBe(next.deliveries.length);
    expect(events("webhook.not_installed")).toEqual([]);
    expect(await drain(deps, "routeOrder")).toBe(1);
    expect(await db.decision.count({ where: { shop, orderId: next.orderId } })).toBe(1);

    // The reinstall's reconciliation finds the order paid while the app was away and routes it:
    // the job that ended left no key behind to stop it.
    await reconcileShop({ ...deps, reconcileGraceMs: 0 }, shop);
    expect(await drain(deps, "routeOrder")).toBeGreaterThan(0);
    expect(await db.decision.count({ where: { shop, orderId: meanwhile } })).toBe(1);
    expect(events("job.not_installed")).toHaveLength(1);
  });
});

/**
 * A route job of a shop that uninstalled: the worker's pass found the shop installed, and
 * app/uninstalled reached web process B before the pass enqueued the job (so the uninstall's
 * erase did not see it).
 */
async function leftoverRouteJob(): Promise<{ orderId: string }> {
  const order = await paidOrder();
  const paid = order.deliveries.find((d) => d.topic === "orders/paid")!;
  expect(await deliverToA("orders/paid", paid.payload)).toBe(200);
  const queue = jobQueue();
  let uninstalled = false;
  const late: JobQueue = {
    ...queue,
    async enqueue(name, payload, options) {
      if (!uninstalled) {
        uninstalled = true;
        await uninstallAtB();
      }
      return queue.enqueue(name, payload, options);
    },
  };
  expect(await processInbox(worker(late))).toBe(1);
  expect(uninstalled).toBe(true);
  expect(await db.session.count({ where: { shop } })).toBe(0);
  expect((await queue.health(shop, new Date())).queued).toBe(1);
  return { orderId: order.orderId };
}
