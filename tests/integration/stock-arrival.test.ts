// Stock arriving ships what waited for it, driven as Shopify drives it: the order's signed
// orders/paid splits what is in stock from what is not (ADR 085), then staff add stock in admin and
// Shopify's signed inventory_levels/update reaches the app through intake and the worker, which
// plans the waiting order again: its stock hold comes off and the part ships, once (ADR 088).
//
// The payload as Shopify documents it for inventory_levels/update is REST-shaped: numeric
// `inventory_item_id` and `location_id`, `available`, `updated_at`, and `admin_graphql_api_id`
// naming the InventoryLevel (shopify.dev's REST InventoryLevel resource; the JSON Schema
// gadget-inc/shopify-webhook-schemas infers for the topic, schemas/2025-01/inventory_levels/
// update.json: integer ids). The simulator sends that reading; stockArrivalOf also takes the ids as
// GIDs (as the GraphQL-shaped fulfillment order topics send theirs): app/fulfilment/stock-waits.server.test.ts.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { QUEUES } from "~/fulfilment/worker.server";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite({
  rules: [
    {
      id: "rule-ship-what-we-have",
      name: "Ship what we have",
      conditions: [],
      actions: [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
    },
  ],
});
const { settle, stepKinds, workerWithClock } = settledOrders(sim);

/** The order's fulfillment orders at the Studio: [status, units per SKU left, hold reasons]. */
async function atStudio(orderId: string) {
  return (await sim.orderState(orderId)).fulfillmentOrders.map((fo) => [
    fo.status,
    fo.lineItems.map((l) => [l.sku, l.totalQuantity, l.remainingQuantity]),
    fo.holds.map((h) => h.reason),
  ]);
}

/** The inventory_levels/update deliveries the app stored, and how many of them were new. */
async function stockDeliveries() {
  return db.webhookDelivery.findMany({
    where: { topic: "inventory_levels/update" },
    select: { status: true, webhookId: true },
  });
}

/** The decisions made because stock arrived where the order waited for it. */
const stockDecisions = (orderId: string) =>
  db.decision.count({ where: { orderId, trigger: "stock" } });

/** The route jobs stock arriving queued, of any order. */
const stockJobs = () =>
  db.job.count({ where: { queue: QUEUES.routeOrder, key: { startsWith: "stock:" } } });

/**
 * Settles the shop, then once more with the worker's clock past the stock-arrival window, so the
 * replans the window coalesced come due.
 */
async function settlePastTheWindow() {
  await settle();
  await settle(workerWithClock(() => 61_000));
}

describe("stock arrives for a part held for stock (ADR 088)", () => {
  it("3 photo books, 2 on the shelf: 2 ship, 1 waits; staff receive 5 and Shopify's inventory_levels/update (sent twice) ships the 1, once; another item's stock replans nothing", async () => {
    // GIVEN the Studio has 2 photo books on the shelf and a customer orders and pays for 3
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
    await settle();
    await db.webhookDelivery.deleteMany({ where: { topic: "inventory_levels/update" } });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 3 }],
      payment: "paid",
    });
    await settle();
    expect(await atStudio(orderId)).toEqual([
      ["CLOSED", [["BOOK-40", 2, 0]], []],
      ["ON_HOLD", [["BOOK-40", 1, 1]], ["INVENTORY_OUT_OF_STOCK"]],
    ]);
    // The hold's note on Shopify says how many wait, in admin's English.
    const held = (await sim.orderState(orderId)).fulfillmentOrders[1]!;
    expect(held.holds[0]!.reasonNotes).toBe(
      "1 of 3 “Photo Book” waiting for stock at Studio (rule “Ship what we have”)",
    );

    // WHEN staff receive a delivery of another item: Shopify tells the app, which has nothing
    // waiting for it
    await sim.adjustStock("SLEEVE-A3", "Studio", 5);
    await settlePastTheWindow();
    const unrelated = await stockDeliveries();
    expect(unrelated.map((d) => d.status)).toEqual(["ignored"]);
    expect(await stockDecisions(orderId)).toBe(0);
    expect(await stockJobs()).toBe(0);

    // WHEN staff receive 5 photo books at the Studio, and Shopify delivers the webhook twice
    await sim.control("POST", "/_sim/inventory", {
      shop: sim.shop,
      sku: "BOOK-40",
      location: "Studio",
      delta: 5,
      deliver: { duplicates: 1 },
    });
    await settlePastTheWindow();

    // THEN the delivery was stored once, and the part that waited has shipped, once
    const deliveries = await stockDeliveries();
    expect(deliveries).toHaveLength(2);
    expect(await atStudio(orderId)).toEqual([
      ["CLOSED", [["BOOK-40", 2, 0]], []],
      ["CLOSED", [["BOOK-40", 1, 0]], []],
    ]);
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderSplit",
      "fulfillmentOrderHold",
      "fulfillmentCreate",
      "fulfillmentOrderReleaseHold",
      "fulfillmentCreate",
    ]);
    expect(await stockDecisions(orderId)).toBe(1);
    expect(await stockJobs()).toBe(1);
    // Nothing waits for stock any more: the next delivery of photo books replans nothing.
    expect(await db.stockWait.count({ where: { orderId } })).toBe(0);
    await sim.adjustStock("BOOK-40", "Studio", 1);
    await settlePastTheWindow();
    expect(await stockDecisions(orderId)).toBe(1);
  });
});
