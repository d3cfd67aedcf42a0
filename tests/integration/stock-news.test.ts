// A shop hears of its stock only while it needs to (ADR 101): inventory_levels/update is no longer
// among the toml's app-wide subscriptions, so a shop whose rules do not split by stock is sent none
// of its stock movements; a rule that splits by stock, saved on its screen, subscribes the shop
// (webhookSubscriptionCreate through the executor), and deleting it unsubscribes the shop. Stock
// that arrived for a waiting order before the subscription existed still reaches it: subscribing
// plans the waiting orders again. Driven through the rule's screen, the worker and the simulator.
import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { checkStockNews, handleStockSubscription } from "~/fulfilment/stock-subscription.server";
import { handleReconcile } from "~/fulfilment/reconcile.server";
import { QUEUES, WORKER_SLOTS, type WorkerDeps } from "~/fulfilment/worker.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import { saveRule } from "../support/integration";
import {
  deleteRuleOnScreen,
  runStockNewsChecks,
  saveRuleOnScreen,
  SHIP_WHAT_WE_HAVE,
  withRuleScreen,
} from "../support/rule-screen";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

// The web process runs no worker (`npm run worker` beside it): the screen's check reaches a worker
// of its own only as another process's would, as the app's environment reads it on first import.
vi.hoisted(() => {
  process.env.WORKER = "off";
});

const { sim } = withWorkerSuite();
const { settle, workerDeps, workerWithClock } = settledOrders(sim);
withRuleScreen();

/** The inventory_levels/update deliveries Shopify made to the shop, of any status. */
async function sentStockUpdates(): Promise<number> {
  await sim.webhooksDelivered();
  const { deliveries } = await sim.control<{ deliveries: unknown[] }>(
    "GET",
    `/_sim/webhooks?shop=${sim.shop}&topic=inventory_levels/update`,
  );
  return deliveries.length;
}

/** Runs the stock-news checks the worker queued on its own queue, as that worker would. */
function checksQueuedBy(worker: WorkerDeps): Promise<number> {
  return worker.queue.drain(QUEUES.stockSubscription, (job) =>
    handleStockSubscription(worker, job),
  );
}

/** A stock movement of each kind Shopify announces: an order placed, staff receiving stock. */
async function moveStock(): Promise<void> {
  await sim.createOrder({ lineItems: [{ sku: "MOUNT-A4", quantity: 1 }], payment: "paid" });
  await sim.adjustStock("BOOK-40", "Studio", 3);
  await settle();
}

describe("stock news only while the shop needs them (ADR 101)", () => {
  it("a shop with no rule that splits by stock is sent no inventory_levels/update; saving one on its screen subscribes the shop, deleting it unsubscribes it", async () => {
    // GIVEN a shop whose rules do not split by stock: its stock moves, and Shopify sends nothing
    await moveStock();
    expect(await sentStockUpdates()).toBe(0);
    expect(await db.webhookDelivery.count({ where: { topic: "inventory_levels/update" } })).toBe(0);

    // WHEN the merchant saves a rule that splits by stock, and the worker runs the check it queued
    const { id } = await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);

    // THEN the shop is subscribed once, at the app's address, and its stock movements reach the app
    const kept = await db.shopWebhookSubscription.findMany();
    expect(kept).toEqual([
      expect.objectContaining({
        shop: sim.shop,
        topic: "inventory_levels/update",
        uri: `${sim.appUrl}/webhooks/inventory_levels/update`,
        subscriptionId: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/),
      }),
    ]);
    await moveStock();
    expect(await sentStockUpdates()).toBeGreaterThanOrEqual(2);
    expect(
      await db.webhookDelivery.count({ where: { topic: "inventory_levels/update" } }),
    ).toBeGreaterThanOrEqual(2);
    // A check again (reconciliation's) makes no second subscription.
    expect(await checkStockNews(workerDeps(), sim.shop)).toBe("kept");

    // WHEN the merchant deletes the rule (nothing waits for stock)
    await deleteRuleOnScreen(sim, id);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);

    // THEN the subscription is gone on Shopify and here, and stock moves unannounced again
    expect(await db.shopWebhookSubscription.count()).toBe(0);
    const before = await sentStockUpdates();
    await moveStock();
    expect(await sentStockUpdates()).toBe(before);
  });

  it("stock that arrived for a waiting order before the shop was subscribed ships it once the subscription is made: subscribing plans the waiting orders again", async () => {
    // GIVEN a rule that splits by stock whose check has not run yet (no subscription), and an
    // order of 3 photo books with 2 on the shelf: 2 ship, 1 waits
    await saveRule(db, sim.shop, SHIP_WHAT_WE_HAVE);
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 3 }],
      payment: "paid",
    });
    await settle();
    expect(await db.stockWait.count({ where: { orderId } })).toBe(1);

    // WHEN staff receive 5 before the shop is subscribed: Shopify tells the app nothing
    await sim.adjustStock("BOOK-40", "Studio", 5);
    await settle();
    expect(await sentStockUpdates()).toBe(0);
    expect(await db.stockWait.count({ where: { orderId } })).toBe(1);

    // AND the check runs (reconciliation's, or the rule's queued one)
    expect(await checkStockNews(workerDeps(), sim.shop)).toBe("subscribed");
    await settle(workerWithClock(() => 61_000));

    // THEN the order that waited was planned again on a fresh read, and its part shipped
    expect(await db.decision.count({ where: { orderId, trigger: "stock" } })).toBe(1);
    expect(await db.stockWait.count({ where: { orderId } })).toBe(0);
    const fos = (await sim.orderState(orderId)).fulfillmentOrders;
    expect(fos.map((fo) => fo.status)).toEqual(["CLOSED", "CLOSED"]);
  });

  it("saving a rule that splits by stock on its screen has an idle worker process subscribe the shop at once, not at its next poll (ADR 103)", async () => {
    // GIVEN a worker process of its own whose stock-subscription queue looks for work every ten
    // minutes, idle after its first look
    const deps = workerDeps();
    const worker = createJobQueue(db, process.env.DATABASE_URL!);
    worker.work(QUEUES.stockSubscription, (job) => handleStockSubscription(deps, job), {
      ...WORKER_SLOTS.stockSubscription,
      pollMs: 10 * 60_000,
    });
    try {
      // (A moment for its first look, which finds nothing: not a measure of anything.)
      await new Promise((resolve) => setTimeout(resolve, 1000));

      // WHEN the merchant saves a rule that splits by stock on its screen
      await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);

      // THEN that worker subscribes the shop, long before its next poll
      await expect
        .poll(() => db.shopWebhookSubscription.count(), { timeout: 15_000, interval: 200 })
        .toBe(1);
      await moveStock();
      expect(await sentStockUpdates()).toBeGreaterThanOrEqual(2);
    } finally {
      await worker.stop();
    }
  }, 45_000);

  it("the shop's last order waiting for stock shipping, once no rule splits by stock, queues the check that unsubscribes the shop (ADR 103)", async () => {
    // GIVEN the shop subscribed by its rule, and an order of 3 photo books with 2 on the shelf
    const { id } = await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 3 }],
      payment: "paid",
    });
    await settle();
    expect(await db.stockWait.count({ where: { orderId } })).toBe(1);

    // WHEN the merchant deletes the rule: the order still waits, so the shop stays subscribed
    await deleteRuleOnScreen(sim, id);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);
    expect(await db.shopWebhookSubscription.count()).toBe(1);

    // AND staff receive 5: the waiting order is planned again, a window later, and waits no more
    await sim.adjustStock("BOOK-40", "Studio", 5);
    await settle();
    const later = workerWithClock(() => 61_000);
    await settle(later);
    expect(await db.stockWait.count()).toBe(0);

    // THEN that worker queued the check, and its run unsubscribes the shop: its stock moves
    // unannounced again
    expect(await checksQueuedBy(later)).toBe(1);
    expect(await db.shopWebhookSubscription.count()).toBe(0);
    const before = await sentStockUpdates();
    await moveStock();
    expect(await sentStockUpdates()).toBe(before);
  });

  it("the shop's last order waiting for stock cancelled, once no rule splits by stock, queues the check that unsubscribes the shop (ADR 103)", async () => {
    // GIVEN the shop subscribed by its rule, and an order of 1 photo book with none on the shelf
    const { id } = await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", -shelf.available);
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 1 }],
      payment: "paid",
    });
    await settle();
    expect(await db.stockWait.count({ where: { orderId } })).toBe(1);
    await deleteRuleOnScreen(sim, id);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);
    expect(await db.shopWebhookSubscription.count()).toBe(1);

    // WHEN staff cancel the order in admin
    await sim.gateway.request(
      `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { orderCancelUserErrors { message } } }`,
      { id: orderId },
    );
    await vi.waitFor(async () => expect((await sim.orderState(orderId)).cancelled).toBe(true));
    const worker = workerDeps();
    await settle(worker);
    expect(await db.stockWait.count()).toBe(0);

    // THEN the worker queued the check, and its run unsubscribes the shop
    expect(await checksQueuedBy(worker)).toBe(1);
    expect(await db.shopWebhookSubscription.count()).toBe(0);
  });

  it("a subscription deleted outside the app is made again by the next reconciliation, which asks Shopify rather than trusting the kept row (ADR 103)", async () => {
    // GIVEN the shop subscribed by its rule
    await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);
    expect(await runStockNewsChecks(workerDeps())).toBe(1);
    const [kept] = await db.shopWebhookSubscription.findMany();

    // WHEN the subscription is deleted on Shopify outside the app (a script with its token)
    await sim.gateway.request(
      `mutation DeleteOutside($id: ID!) { webhookSubscriptionDelete(id: $id) { userErrors { message } } }`,
      { id: kept!.subscriptionId },
    );
    const before = await sentStockUpdates();
    await moveStock();
    expect(await sentStockUpdates()).toBe(before);

    // AND reconciliation runs for the shop, as every ten minutes
    const worker = workerDeps();
    await handleReconcile(worker, {
      id: "reconcile-1",
      queue: QUEUES.reconcile,
      shop: sim.shop,
      payload: { shop: sim.shop },
      attempts: 1,
    });

    // THEN the shop is subscribed again, and its stock movements reach the app
    const [again] = await db.shopWebhookSubscription.findMany();
    expect(again!.subscriptionId).not.toBe(kept!.subscriptionId);
    await moveStock();
    expect(await sentStockUpdates()).toBeGreaterThan(before);
  });
});
