// Whichever of orders/create, fulfillment_orders/order_routing_complete and orders/paid reaches the
// app first routes the order, once: the other deliveries of the same order are held at the app's
// door (Shopify promises neither order nor promptness) and let in after the rules decided.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { GATE_HOLD_HANDLE } from "~/routing";
import { emptyTables, withShopSimulator, withWebhookDoor } from "../support/integration";
import { LAB_RULE, settledOrders } from "../support/settled-orders";

const door = withWebhookDoor();
const sim = withShopSimulator({ appUrl: () => door.url });
const { setRules, settle, labOrder, automaticDecisions, trace, stepKinds } = settledOrders(sim);

const ROUTING_TOPICS = [
  "orders/create",
  "fulfillment_orders/order_routing_complete",
  "orders/paid",
] as const;
type RoutingTopic = (typeof ROUTING_TOPICS)[number];

beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({ data: { shop: sim.shop } });
  await setRules(LAB_RULE);
});

/** The routing topics the app has received so far (every test starts with an empty inbox). */
async function arrived(): Promise<string[]> {
  const rows = await db.webhookDelivery.findMany({
    where: { shop: sim.shop, topic: { in: [...ROUTING_TOPICS] } },
    select: { topic: true },
  });
  return [...new Set(rows.map((r) => r.topic))].sort();
}

const ROUTED = [
  "fulfillmentOrderHold",
  "fulfillmentOrderReleaseHold",
  "fulfillmentOrderSubmitFulfillmentRequest",
];

describe("the first of the routing webhooks routes the order, once", () => {
  const cases: { payment: "paid" | "authorized"; first: RoutingTopic }[] = [
    { payment: "paid", first: "orders/create" },
    { payment: "paid", first: "fulfillment_orders/order_routing_complete" },
    { payment: "paid", first: "orders/paid" },
    { payment: "authorized", first: "orders/create" },
    { payment: "authorized", first: "fulfillment_orders/order_routing_complete" },
  ];
  for (const { payment, first } of cases) {
    it(`${payment === "paid" ? "a paid" : "an authorized"} order whose ${first} comes first is routed from it; the others find it decided`, async () => {
      door.holdBack(ROUTING_TOPICS.filter((t) => t !== first));
      const { orderId } = await labOrder(payment);
      await settle();
      // Only the first webhook reached the app, and the lab's request went out on it.
      expect(await arrived()).toEqual([first]);
      let state = await sim.orderState(orderId);
      expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
      expect(await stepKinds(orderId)).toEqual(ROUTED);
      expect(await automaticDecisions(orderId)).toBe(1);

      // The rest arrive late: nothing more is decided, held or requested.
      await door.letIn();
      await settle();
      const expected = payment === "paid" ? [...ROUTING_TOPICS] : ROUTING_TOPICS.slice(0, 2);
      expect(await arrived()).toEqual([...expected].sort());
      state = await sim.orderState(orderId);
      expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
      expect(state.financialStatus).toBe(payment === "paid" ? "PAID" : "AUTHORIZED");
      expect(await stepKinds(orderId)).toEqual(ROUTED);
      expect(await automaticDecisions(orderId)).toBe(1);
    });
  }

  it("an authorized order captured in Shopify admin before its other webhooks arrive is routed from orders/paid, once", async () => {
    door.holdBack(["orders/create", "fulfillment_orders/order_routing_complete"]);
    const { orderId } = await labOrder("authorized");
    await settle();
    expect(await arrived()).toEqual([]);
    expect(await automaticDecisions(orderId)).toBe(0);
    // Staff capture the payment in admin: orders/paid is the first the app hears of the order.
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
    await settle();
    expect(await arrived()).toEqual(["orders/paid"]);
    let state = await sim.orderState(orderId);
    expect(state.financialStatus).toBe("PAID");
    expect(state.fulfillmentOrders[0]).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
    expect(await automaticDecisions(orderId)).toBe(1);

    await door.letIn();
    await settle();
    expect(await arrived()).toEqual([...ROUTING_TOPICS].sort());
    state = await sim.orderState(orderId);
    expect(state.transactions.filter((t) => t.kind === "CAPTURE")).toHaveLength(1);
    expect(await stepKinds(orderId)).toEqual(ROUTED);
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});

describe("a pending payment waits for orders/paid, whichever webhook came first", () => {
  for (const first of ["orders/create", "fulfillment_orders/order_routing_complete"] as const) {
    it(`${first} first: the gate holds the lab's work and nothing is requested; orders/paid routes it once`, async () => {
      door.holdBack(ROUTING_TOPICS.filter((t) => t !== first));
      const { orderId } = await labOrder("pending");
      await settle();
      expect(await arrived()).toEqual([first]);
      let fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
      expect(fo.holds.map((h) => h.handle)).toEqual([GATE_HOLD_HANDLE]);
      expect(fo.requestStatus).toBe("UNSUBMITTED");
      expect(await trace(orderId)).toMatch(/Payment is pending/);

      // The other creation webhook arrives late: still waiting, the gate placed once.
      await door.letIn();
      await settle();
      fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
      expect(fo.holds.map((h) => h.handle)).toEqual([GATE_HOLD_HANDLE]);
      expect(fo.requestStatus).toBe("UNSUBMITTED");
      expect(await stepKinds(orderId)).toEqual(["fulfillmentOrderHold"]);

      // The bank transfer arrives: orders/paid.
      await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/pay`, {});
      await settle();
      fo = (await sim.orderState(orderId)).fulfillmentOrders[0]!;
      expect(fo).toMatchObject({ requestStatus: "SUBMITTED", holds: [] });
      expect(await stepKinds(orderId)).toEqual(ROUTED);
      expect(await automaticDecisions(orderId)).toBe(1);
    });
  }
});
