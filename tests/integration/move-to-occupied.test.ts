// A sold-out print coming home to the Studio, where the order already has a fulfillment order
// that Settings fulfil by themselves: the Studio's fulfillment order is fulfilled in the round
// after the move, under each of Shopify's readings of a move to an occupied location (ADR 030),
// since the move may close it. Driven through the simulator's signed webhooks and the worker, on
// SQLite and on PostgreSQL.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite({
  // What no rule sends on its way the app fulfills by itself.
  shop: { defaultMode: "automatic" },
  rules: [
    {
      id: "rule-split-by-capability",
      name: "Split by capability",
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    },
  ],
});
const { settle, stepKinds, automaticDecisions, printProfiles } = settledOrders(sim);

beforeEach(async () => {
  forgetLocations(sim.shop);
  await sim.control("POST", "/_sim/readings", { partialMove: "carved" });
  await printProfiles();
});

/** Each unit still to ship: its SKU, where, and its request status; fulfilled ones are gone. */
async function toShip(orderId: string) {
  return (await sim.orderState(orderId)).fulfillmentOrders
    .filter((f) => f.status !== "CLOSED")
    .flatMap((f) =>
      f.lineItems
        .filter((l) => l.remainingQuantity > 0)
        .map((l) => [l.sku, f.location.name, f.requestStatus, l.remainingQuantity]),
    )
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe("a move of some lines to where the order already has a fulfillment order Settings fulfill", () => {
  it.each([
    [
      "merged",
      "fulfillmentOrderMove: 'a new fulfillment order is created. The existing fulfillment order is closed and line items are recreated in a new fulfillment order', the new one read as one",
    ],
    ["recreated", "the same sentence, the new fulfillment orders read as two"],
    ["beside", "Shopify community, 'Fulfillment Order Move API creates duplicate lines'"],
  ] as const)(
    "fulfills the Studio's prints in the round after the move, which may close their fulfillment order (Shopify's reading %s: %s)",
    async (reading, _source) => {
      await sim.control("POST", "/_sim/readings", { moveToOccupied: reading });
      // Lustre A4 is made and stocked at the Studio; lustre A3 the Studio makes but has sold out
      // of, so Shopify sends it to the lab with the matte A2 only the lab stocks.
      const created = await sim.createOrder({
        lineItems: [
          { sku: "PRINT-LUSTRE-A4", quantity: 1 },
          { sku: "PRINT-LUSTRE-A3", quantity: 1 },
          { sku: "PRINT-MATTE-A2", quantity: 1 },
        ],
        payment: "paid",
      });
      const placed = (await sim.orderState(created.orderId)).fulfillmentOrders;
      expect(placed.map((f) => [f.location.name, f.lineItems.length])).toEqual([
        ["Studio", 1],
        ["Partner Lab", 2],
      ]);
      await settle();
      // Both lustre prints fulfilled at the Studio; the matte print requested from the lab.
      expect(await toShip(created.orderId)).toEqual([
        ["PRINT-MATTE-A2", "Partner Lab", "SUBMITTED", 1],
      ]);
      const fulfilled = (await sim.orderState(created.orderId)).fulfillmentOrders
        .filter((f) => f.location.name === "Studio")
        .flatMap((f) => f.lineItems.filter((l) => l.remainingQuantity < l.totalQuantity))
        .map((l) => l.sku)
        .sort();
      expect(fulfilled).toEqual(["PRINT-LUSTRE-A3", "PRINT-LUSTRE-A4"]);
      const kinds = await stepKinds(created.orderId);
      expect(kinds[0]).toBe("fulfillmentOrderMove");
      expect([...kinds].sort()).toEqual(
        [
          "fulfillmentOrderMove",
          "fulfillmentOrderSubmitFulfillmentRequest",
          // One Studio fulfillment order under "merged", two under the others.
          ...(reading === "merged" ? [] : ["fulfillmentCreate"]),
          "fulfillmentCreate",
        ].sort(),
      );
      // Nothing Shopify refused, and the decision applied.
      const steps = await db.step.findMany({ where: { decision: { orderId: created.orderId } } });
      expect(steps.filter((s) => s.status !== "succeeded")).toEqual([]);
      const decision = await db.decision.findFirstOrThrow({ where: { orderId: created.orderId } });
      expect(decision.status).toBe("applied");
      expect(await automaticDecisions(created.orderId)).toBe(1);
    },
  );
});
