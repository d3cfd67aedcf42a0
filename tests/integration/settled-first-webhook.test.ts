// Whichever of orders/create, fulfillment_orders/order_routing_complete and orders/paid reaches the
// app first routes the order, once: the other deliveries of the same order are held at the app's
// door (Shopify promises neither order nor promptness) and let in after the rules decided.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { GATE_HOLD_HANDLE } from "~/routing";
import { createJobQueue } from "~/jobs/job-queue.server";
import { QUEUES, ROUTING_COMPLETE_WAIT_MS, type WorkerDeps } from "~/fulfilment/worker.server";
import { withWebhookDoor } from "../support/integration";
import { LAB_RULE, settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const door = withWebhookDoor();
const { sim } = withWorkerSuite({
  simulator: { webhooks: false, appUrl: () => door.url },
  rules: [LAB_RULE],
});
const { settle, labOrder, automaticDecisions, trace, stepKinds, workerWithClock } =
  settledOrders(sim);

const ROUTING_TOPICS = [
  "orders/create",
  "fulfillment_orders/order_routing_complete",
  "orders/paid",
] as const;
type RoutingTopic = (typeof ROUTING_TOPICS)[number];

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

/** What the shop's Admin API calls cost so far, by operation, as Shopify's bucket counted it. */
async function spentBy(): Promise<{
  points: number;
  operations: Record<string, { calls: number; pointsSpent: number }>;
}> {
  const stats = await sim.control<{
    shops: Record<
      string,
      { pointsSpent: number; operations: Record<string, { calls: number; pointsSpent: number }> }
    >;
  }>("GET", "/_sim/stats");
  const shop = stats.shops[sim.shop];
  return { points: shop?.pointsSpent ?? 0, operations: shop?.operations ?? {} };
}

const lookups = async () => (await spentBy()).operations.FulfillmentOrderOrder?.calls ?? 0;

describe("order_routing_complete names only a fulfillment order: which order it is costs no Admin API call when the order's webhooks come with it", () => {
  it("is answered by the route job its order's orders/create and orders/paid started: every point the order costs is its read and its changes", async () => {
    const { orderId, fulfillmentOrderId } = await labOrder("paid");
    await settle();
    expect(await arrived()).toEqual([...ROUTING_TOPICS].sort());
    expect(await stepKinds(orderId)).toEqual(ROUTED);
    expect(await automaticDecisions(orderId)).toBe(1);
    // Nothing asked Shopify which order the fulfillment order belongs to, and nothing is left
    // waiting in the inbox: the order's route job answered the delivery when it read the order.
    expect(await lookups()).toBe(0);
    expect(
      await db.webhookDelivery.findFirstOrThrow({
        where: {
          topic: "fulfillment_orders/order_routing_complete",
          subjectId: fulfillmentOrderId,
        },
      }),
    ).toMatchObject({ status: "processed", attempts: 0 });
    // Placing the order updated the lab's stock level too, but the shop splits nothing by stock,
    // so Shopify sent no inventory_levels/update (ADR 101): nothing is left waiting.
    expect(
      await db.webhookDelivery.count({ where: { status: { notIn: ["processed", "ignored"] } } }),
    ).toBe(0);
    const { points, operations } = await spentBy();
    const mutations = ROUTED.map((kind) => operations[kind[0]!.toUpperCase() + kind.slice(1)]!);
    expect(mutations.every((m) => m.calls === 1 && m.pointsSpent === 10)).toBe(true);
    const reads = Object.entries(operations)
      .filter(([name]) => name === "OrderRoutingSnapshot" || name === "CatalogueItems")
      .reduce((sum, [, o]) => sum + o.pointsSpent, 0);
    expect(points).toBe(reads + 10 * ROUTED.length);
  });

  it("alone on a shop with nothing else to do, asks Shopify for its order at once and routes it", async () => {
    door.holdBack(["orders/create", "orders/paid"]);
    const { orderId } = await labOrder("paid");
    await settle();
    expect(await arrived()).toEqual(["fulfillment_orders/order_routing_complete"]);
    expect(await lookups()).toBe(1);
    expect(await stepKinds(orderId)).toEqual(ROUTED);
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("waits while the shop has work due, and asks Shopify once it has waited as long as reconciliation would", async () => {
    let ahead = 0;
    const deps = workerWithClock(() => ahead);
    // The shop has a job due that no worker has taken yet (another order's Flow action).
    await deps.queue.enqueue(
      QUEUES.flowAction,
      { shop: sim.shop, orderId: "gid://shopify/Order/999999" },
      { shop: sim.shop },
    );
    door.holdBack(["orders/create", "orders/paid"]);
    const { orderId } = await labOrder("paid");
    await settle(deps);
    expect(await arrived()).toEqual(["fulfillment_orders/order_routing_complete"]);
    expect(await lookups()).toBe(0);
    expect(await automaticDecisions(orderId)).toBe(0);
    expect(
      await db.webhookDelivery.findFirstOrThrow({
        where: { topic: "fulfillment_orders/order_routing_complete" },
      }),
    ).toMatchObject({ status: "received", attempts: 0 });

    // Its order's other webhooks never came: after the wait the inbox asks Shopify.
    ahead = ROUTING_COMPLETE_WAIT_MS;
    await settle(deps);
    expect(await lookups()).toBe(1);
    expect(await stepKinds(orderId)).toEqual(ROUTED);
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("does not wait for a timer the shop set for later: a hold released tomorrow is not its order's route job", async () => {
    // The queue of the database under test (pg-boss on PostgreSQL), as a worker process has it.
    const queue = createJobQueue(db, process.env.DATABASE_URL!);
    const deps: WorkerDeps = { ...workerWithClock(() => 0), queue };
    try {
      // Another order's timed hold ends tomorrow: its route job waits in the queue until then.
      await queue.enqueue(
        QUEUES.routeOrder,
        { shop: sim.shop, orderId: "gid://shopify/Order/999999", trigger: "timer" },
        { shop: sim.shop, runAt: new Date(Date.now() + 24 * 3600_000) },
      );
      door.holdBack(["orders/create", "orders/paid"]);
      const { orderId } = await labOrder("paid");
      await settle(deps);
      expect(await arrived()).toEqual(["fulfillment_orders/order_routing_complete"]);
      // Asked at once, as on a shop with nothing queued, and routed without waiting 10 minutes.
      expect(await lookups()).toBe(1);
      expect(await stepKinds(orderId)).toEqual(ROUTED);
      expect(await automaticDecisions(orderId)).toBe(1);
      expect((await queue.health(sim.shop, new Date())).queued).toBe(1);
    } finally {
      await queue.stop();
    }
  });
});
