// A split by stock of a line only partly in stock, driven as Shopify drives it: the order's signed
// orders/paid webhook through intake and the worker, against the simulator's stock. The units in
// stock ship now and the rest wait on a fulfillment order of their own, held with Shopify's
// INVENTORY_OUT_OF_STOCK (fulfillmentOrderSplit's per-line quantities, ADR 085).
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { gidTail } from "~/routing/snapshot";
import { loadOrderDetail } from "~/services/order-detail.server";
import { inEnglish } from "../support/integration";
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
const { settle, trace, stepKinds } = settledOrders(sim);

/** How often the shop has read an order and its stock so far, as the simulator counts the calls. */
async function reads(): Promise<{ order: number; stock: number }> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  const { operations } = stats.shops[sim.shop]!;
  return {
    order: operations.OrderRoutingSnapshot?.calls ?? 0,
    stock: operations.StockAtLocation?.calls ?? 0,
  };
}

/** The order's fulfillment orders at the Studio: [status, units per SKU left, hold reasons]. */
async function atStudio(orderId: string) {
  return (await sim.orderState(orderId)).fulfillmentOrders.map((fo) => {
    expect(fo.location.name).toBe("Studio");
    return [
      fo.status,
      fo.lineItems.map((l) => [l.sku, l.totalQuantity, l.remainingQuantity]),
      fo.holds.map((h) => h.reason),
    ];
  });
}

describe("a line with only some of its units in stock (ADR 085)", () => {
  it("3 photo books ordered, 2 on the Studio's shelf: 2 ship now, 1 waits held with INVENTORY_OUT_OF_STOCK, and the trace says so; planned on the split's answer, one read", async () => {
    // GIVEN the Studio has 2 photo books on the shelf (sold on backorder beyond that)
    const shelf = await sim.stock("BOOK-40", "Studio");
    await sim.adjustStock("BOOK-40", "Studio", 2 - shelf.available);
    const before = await reads();
    // WHEN a customer orders 3 and pays: Shopify's signed orders/paid reaches the app
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "BOOK-40", quantity: 3 }],
      payment: "paid",
    });
    expect(await sim.stock("BOOK-40", "Studio")).toEqual({
      available: -1,
      committed: shelf.committed + 3,
    });
    await settle();

    // THEN the 2 in stock are fulfilled and the 1 that waits is held for stock
    expect(await atStudio(orderId)).toEqual([
      ["CLOSED", [["BOOK-40", 2, 0]], []],
      ["ON_HOLD", [["BOOK-40", 1, 1]], ["INVENTORY_OUT_OF_STOCK"]],
    ]);
    expect(await stepKinds(orderId)).toEqual([
      "fulfillmentOrderSplit",
      "fulfillmentOrderHold",
      "fulfillmentCreate",
    ]);
    const split = await db.step.findFirstOrThrow({
      where: { decision: { orderId }, kind: "fulfillmentOrderSplit" },
    });
    expect(JSON.parse(split.input)).toMatchObject({
      input: { fulfillmentOrderSplits: [{ fulfillmentOrderLineItems: [{ quantity: 1 }] }] },
    });
    const said = await trace(orderId);
    expect(said).toContain(
      "Rule “Ship what we have” at “Studio”: 2 ready to ship now, 1 waiting for stock (“Photo Book”: 2 of 3 in stock).",
    );
    // The order screen says what waits in the same counts as the hold's note on Shopify (ADR 088):
    // the trace, the hold's step, the fulfillment order's reason (the queue's row) and its hold.
    expect(said).toContain(
      "Rule “Ship what we have” at “Studio”: 1 of 3 “Photo Book” waiting for stock.",
    );
    const detail = (await loadOrderDetail(
      { db, gateway: sim.gateway },
      { shop: sim.shop, orderNumber: gidTail(orderId), now: new Date() },
    ))!;
    const steps = await Promise.all(
      detail.decisions.flatMap((d) => d.steps.map((step) => inEnglish(step.summary))),
    );
    expect(steps).toContain("Hold 1 of 3 “Photo Book” at “Studio” until stock arrives");
    const waiting = "1 of 3 “Photo Book” waiting for stock at “Studio” (rule “Ship what we have”)";
    const held = detail.fulfillmentOrders.find((fo) => fo.holds.length > 0)!;
    expect(await inEnglish(held.reason)).toBe(waiting);
    expect(await Promise.all(held.holds.map((h) => inEnglish(h.notes)))).toEqual([waiting]);
    const row = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { fulfillmentOrderId: held.id },
    });
    expect(await inEnglish(row.reason)).toBe(waiting);
    // The queue shows it held, also after the fulfillment's webhook refreshed the order's rows:
    // that refresh plans on the stock too, where it showed "Releasing holds".
    expect(row.outcome).toBe("held");
    // The second round was planned on the split's answer, the stock carried over: the router read
    // the order and its stock once; the fulfillment's webhook read each once more to refresh the
    // queue's rows.
    const after = await reads();
    expect({ order: after.order - before.order, stock: after.stock - before.stock }).toEqual({
      order: 2,
      stock: 2,
    });
  });
});
