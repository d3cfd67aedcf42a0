// A hold the rules want again on a fulfillment order the same decision released, nothing about the
// fulfillment order changed in between (order-level facts alone brought it back): the executor
// places it again, once. Driven through the simulator's signed webhooks (duplicated, reordered,
// delayed) and the worker, on SQLite and on PostgreSQL; lost answers played by the simulator.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { Rule } from "~/routing";
import { forgetLocations } from "~/shopify/snapshot.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { withWorkerSuite } from "../support/worker-suite";
import { signedDelivery } from "../support/webhooks";
import { settledOrders } from "../support/settled-orders";

/**
 * Every print waits for a look at the crop, and the order is tagged so; an earlier rule takes an
 * order tagged crop-check (and not yet crop-checked) for itself and tags it crop-checked, which
 * hands the print back to the review rule. So one decision holds the print, releases the hold when
 * the first tag lets the earlier rule take it, and wants the same hold on the same fulfillment
 * order again once the second tag is on: the hold's Step key is the first hold's.
 */
const RULES: Rule[] = [
  {
    id: "rule-checked-once",
    name: "Crop checks are logged",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [
      { field: "order_tag", operator: "contains", value: "crop-check" },
      { field: "order_tag", operator: "not_contains", value: "crop-checked" },
    ],
    actions: [{ type: "add_order_tags", tags: ["crop-checked"] }],
  },
  {
    id: "rule-review-prints",
    name: "Prints wait for a look at the crop",
    enabled: true,
    position: 1,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
    actions: [{ type: "hold_for_review" }, { type: "add_order_tags", tags: ["crop-check"] }],
  },
];

const { sim } = withWorkerSuite({ shop: { defaultMode: "manual" }, rules: RULES });
const { settle, workerWithClock, racing, automaticDecisions } = settledOrders(sim);

beforeEach(() => {
  forgetLocations(sim.shop);
});

/** A paid order of one print the Studio makes, its webhooks each delivered three times. */
async function printOrder() {
  const created = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
    deliver: { duplicates: 2 },
  });
  return { orderId: created.orderId, fulfillmentOrderId: created.fulfillmentOrderIds[0]! };
}

/**
 * What Shopify did to the fulfillment order, from the webhooks it sent (a lost answer is no
 * answer, but the change and its webhook happened): how often it went on hold and came off it,
 * each event counted once however often it was delivered.
 */
async function holdEvents(fulfillmentOrderId: string) {
  const count = async (topic: string) => {
    const log = await sim.control<{
      deliveries: { eventId: string; payload: { fulfillment_order?: { id?: string } } }[];
    }>("GET", `/_sim/webhooks?shop=${sim.shop}&topic=${topic}`);
    const events = log.deliveries.filter(
      (d) => d.payload.fulfillment_order?.id === fulfillmentOrderId,
    );
    return new Set(events.map((d) => d.eventId)).size;
  };
  return {
    placedOnHold: await count("fulfillment_orders/placed_on_hold"),
    holdReleased: await count("fulfillment_orders/hold_released"),
  };
}

/** Where the order ends: its fulfillment order's status and holds (by handle), and its tags. */
async function ending(orderId: string) {
  const state = await sim.orderState(orderId);
  return {
    fulfillmentOrders: state.fulfillmentOrders.map((fo) => ({
      status: fo.status,
      holds: fo.holds.map((h) => h.handle),
    })),
    tags: [...state.tags].sort(),
  };
}

const HELD_ONCE = {
  fulfillmentOrders: [{ status: "ON_HOLD", holds: [expect.stringMatching(/^fr-rule-.*-review$/)] }],
  tags: ["crop-check", "crop-checked"],
};

/** The order's Steps as the decision log has them: kind and status, in the order applied. */
async function steps(orderId: string) {
  const rows = await db.step.findMany({
    where: { decision: { orderId } },
    orderBy: { position: "asc" },
  });
  return rows.map((s) => [s.kind, s.status]);
}

describe("a hold wanted again after the decision released it, on an unchanged fulfillment order", () => {
  it("is placed again, once, however often the webhooks come", async () => {
    let ahead = 0;
    const deps = workerWithClock(() => ahead);
    const { orderId, fulfillmentOrderId } = await printOrder();
    await settle(deps);
    expect(await ending(orderId)).toEqual(HELD_ONCE);
    expect(await holdEvents(fulfillmentOrderId)).toEqual({ placedOnHold: 2, holdReleased: 1 });
    expect(await steps(orderId)).toEqual([
      ["fulfillmentOrderHold", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderReleaseHold", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderHold", "succeeded"],
    ]);
    // The second hold is recorded under the first one's key and its occurrence.
    const holds = await db.step.findMany({
      where: { decision: { orderId }, kind: "fulfillmentOrderHold" },
      orderBy: { position: "asc" },
    });
    expect(holds.map((h) => h.key)).toEqual([holds[0]!.key, `${holds[0]!.key}#2`]);

    // orders/paid once more (Shopify retrying a delivery it thinks failed) and time passing: the
    // order is decided, nothing is placed again.
    const paid = await db.webhookDelivery.findFirstOrThrow({
      where: { topic: "orders/paid", subjectId: orderId },
    });
    const again = signedDelivery({ topic: "orders/paid", shop: sim.shop, body: paid.payload });
    expect((await intakeWebhook(again)).status).toBe(200);
    ahead += 10 * 60_000;
    await settle(deps);
    expect(await ending(orderId)).toEqual(HELD_ONCE);
    expect(await holdEvents(fulfillmentOrderId)).toEqual({ placedOnHold: 2, holdReleased: 1 });
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("the release's answer lost after Shopify made it: the retry finds the hold gone and places it again, once", async () => {
    let ahead = 0;
    const deps = workerWithClock(() => ahead);
    const { orderId, fulfillmentOrderId } = await printOrder();
    await sim.control("POST", "/_sim/faults", {
      appliedThenTimeoutOf: { FulfillmentOrderReleaseHold: 1 },
      timeoutMs: 20,
    });
    await settle(deps);
    for (let i = 0; i < 3; i++) {
      ahead += 10 * 60_000;
      await settle(deps);
    }
    expect(await ending(orderId)).toEqual(HELD_ONCE);
    expect(await holdEvents(fulfillmentOrderId)).toEqual({ placedOnHold: 2, holdReleased: 1 });
    // The release was sent once and its answer never came; the read after it found the hold gone.
    expect(await steps(orderId)).toEqual([
      ["fulfillmentOrderHold", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderReleaseHold", "pending"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderHold", "succeeded"],
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);
  });

  it("the second hold's answer lost after Shopify placed it: the retry finds it held and places nothing more", async () => {
    let ahead = 0;
    // The simulator loses the next hold's answer from the moment the release reaches it: the
    // second hold's, not the first's.
    const { deps: racingDeps, happened } = racing(/FulfillmentOrderReleaseHold/, () =>
      sim.control("POST", "/_sim/faults", {
        appliedThenTimeoutOf: { FulfillmentOrderHold: 1 },
        timeoutMs: 20,
      }),
    );
    const clock = workerWithClock(() => ahead);
    const deps = { ...clock, gatewayFor: racingDeps.gatewayFor };
    const { orderId, fulfillmentOrderId } = await printOrder();
    await settle(deps);
    expect(happened()).toBe(true);
    for (let i = 0; i < 3; i++) {
      ahead += 10 * 60_000;
      await settle(deps);
    }
    expect(await ending(orderId)).toEqual(HELD_ONCE);
    expect(await holdEvents(fulfillmentOrderId)).toEqual({ placedOnHold: 2, holdReleased: 1 });
    // Sent once; its answer never came, and the retry's read found it held.
    expect(await steps(orderId)).toEqual([
      ["fulfillmentOrderHold", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderReleaseHold", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["fulfillmentOrderHold", "pending"],
    ]);
    expect(await automaticDecisions(orderId)).toBe(1);
  });
});
