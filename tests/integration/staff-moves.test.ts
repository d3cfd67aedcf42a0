// Staff change a fulfillment order's location in Shopify admin (Change location), driven through the
// simulator's signed webhooks and the worker: fulfillment_orders/moved names no `fulfillment_order`,
// yet the app reads the order again, so its rows, the review queue (its loader) and the order
// screen (its loader's read) show the new location. The echo of a move the app made itself reads nothing more (ADR 102).
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { makeStep, type StepWhy } from "~/routing";
import { applyStep } from "~/fulfilment/apply-step.server";
import { loadOrderDetail } from "~/services/order-detail.server";
import { handleRefreshOrder, processInbox, QUEUES } from "~/fulfilment/worker.server";
import { sendShopifyCallsTo } from "~/shopify/origin.server";
import { saveRule } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { callRoute, signedRequest } from "../support/route-call";
import { withWorkerSuite } from "../support/worker-suite";

const { sim, deps, settle } = withWorkerSuite({ shop: { releaseGate: false } });
const STAFF: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "in admin" };

/** How many times the app has read an order (the router's and the screens' queries). */
async function orderReads(): Promise<number> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  const operations = stats.shops[sim.shop]?.operations ?? {};
  return (operations.OrderSnapshot?.calls ?? 0) + (operations.OrderRoutingSnapshot?.calls ?? 0);
}

/** The webhooks Shopify sent since, taken in by the inbox; answers how many refreshes ran. */
async function inboxAndRefreshes(): Promise<number> {
  const worker = await deps();
  await sim.webhooksDelivered();
  while ((await processInbox(worker)) > 0);
  let refreshes = 0;
  await worker.queue.drain(QUEUES.refreshOrder, (job) => {
    refreshes += 1;
    return handleRefreshOrder(worker, job);
  });
  return refreshes;
}

/** Staff in admin: Change location of the whole fulfillment order, or of some of its lines. */
async function staffMove(
  orderId: string,
  fulfillmentOrderId: string,
  to: string,
  lines?: { id: string; quantity: number }[],
) {
  await applyStep(
    sim.gateway,
    makeStep(
      "fulfillmentOrderMove",
      orderId,
      fulfillmentOrderId,
      {
        id: fulfillmentOrderId,
        newLocationId: (await sim.location(to)).id,
        ...(lines ? { fulfillmentOrderLineItems: lines } : {}),
      },
      "Change location",
      STAFF,
    ),
  );
}

/**
 * The order screen's data as its loader reads it (loadOrderDetail: the order from Shopify, the
 * rules' outcome of each fulfillment order from the app's rows): location and whether it has one.
 */
async function orderScreen(orderNumber: string) {
  const detail = await loadOrderDetail(
    { db, gateway: sim.gateway },
    { shop: sim.shop, orderNumber, now: new Date() },
  );
  return detail!.fulfillmentOrders.map((f) => [f.locationName, f.outcome !== null]);
}

/** The review queue's rows at a location, by order name. */
async function queueAt(location: string) {
  const queueRoute = await import("~/routes/app.queue");
  sendShopifyCallsTo(sim.url);
  const response = await callRoute(
    queueRoute.loader,
    await signedRequest(sim, `/app/queue?location=${encodeURIComponent(location)}`),
  );
  expect(response.status).toBe(200);
  const { page } = (await response.json()) as { page: { rows: { orderName: string }[] } };
  return page.rows.map((r) => r.orderName);
}

async function printAtTheStudio(quantity = 1) {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity }],
    payment: "paid",
  });
  await settle(await deps());
  const state = await sim.orderState(orderId);
  const [fo] = state.fulfillmentOrders;
  expect(fo!.location.name).toBe("Studio");
  const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
  expect(record.locationName).toBe("Studio");
  return { orderId, fo: fo!, name: record.orderName, number: orderId.split("/").pop()! };
}

describe("staff change a fulfillment order's location in Shopify admin", () => {
  it("the whole fulfillment order: its row, the review queue and the order screen say Partner Lab", async () => {
    // GIVEN a paid matte print the app left at the Studio
    const { orderId, fo, name, number } = await printAtTheStudio();
    // WHEN staff change its location to the Partner Lab in admin
    await staffMove(orderId, fo.id, "Partner Lab");
    expect(await inboxAndRefreshes()).toBe(1);
    // THEN the app read the order again: the row is at the Partner Lab, not the Studio
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(rows.map((r) => [r.fulfillmentOrderId, r.locationName])).toEqual([
      [fo.id, "Partner Lab"],
    ]);
    expect(
      await db.webhookDelivery.findFirst({ where: { topic: "fulfillment_orders/moved" } }),
    ).toMatchObject({ status: "processed", subjectId: fo.id });
    expect(await queueAt("Partner Lab")).toEqual([name]);
    expect(await queueAt("Studio")).toEqual([]);
    expect(await orderScreen(number)).toEqual([["Partner Lab", true]]);
  });

  it("some of its items: the fulfillment order Shopify made at the Partner Lab has its row too", async () => {
    // GIVEN two matte prints at the Studio on one fulfillment order
    const { orderId, fo, number } = await printAtTheStudio(2);
    // WHEN staff move one of them to the Partner Lab in admin
    await staffMove(orderId, fo.id, "Partner Lab", [{ id: fo.lineItems[0]!.id, quantity: 1 }]);
    expect(await inboxAndRefreshes()).toBe(1);
    // THEN each open fulfillment order Shopify has now has its row, at its location
    const open = (await sim.orderState(orderId)).fulfillmentOrders.filter(
      (f) => f.status !== "CLOSED",
    );
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    const at = new Map(rows.map((r) => [r.fulfillmentOrderId, r.locationName]));
    expect(open.map((f) => [f.location.name, at.get(f.id)]).sort()).toEqual([
      ["Partner Lab", "Partner Lab"],
      ["Studio", "Studio"],
    ]);
    // The order screen shows what the rules make of each, the moved one included.
    expect((await orderScreen(number)).filter(([, known]) => known)).toHaveLength(2);
  });
});

describe("staff merge fulfillment orders in Shopify admin", () => {
  it("the rows follow Shopify: the one merged away is closed, the one left holds both prints", async () => {
    // GIVEN two prints at the Studio that staff split onto two fulfillment orders in admin
    const { orderId, fo } = await printAtTheStudio(2);
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderSplit",
        orderId,
        fo.id,
        {
          fulfillmentOrderSplits: [
            {
              fulfillmentOrderId: fo.id,
              fulfillmentOrderLineItems: [{ id: fo.lineItems[0]!.id, quantity: 1 }],
            },
          ],
        },
        "Split",
        STAFF,
      ),
    );
    await inboxAndRefreshes();
    const split = (await sim.orderState(orderId)).fulfillmentOrders.filter(
      (f) => f.status !== "CLOSED",
    );
    expect(split).toHaveLength(2);
    // WHEN staff merge them again in admin
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderMerge",
        orderId,
        split[0]!.id,
        {
          fulfillmentOrderMergeInputs: [
            { mergeIntents: split.map((f) => ({ fulfillmentOrderId: f.id })) },
          ],
        },
        "Merge",
        STAFF,
      ),
    );
    expect(await inboxAndRefreshes()).toBe(1);
    // THEN each row has the status Shopify has now
    const now = (await sim.orderState(orderId)).fulfillmentOrders;
    const rows = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    const status = new Map(rows.map((r) => [r.fulfillmentOrderId, r.status]));
    expect(now.map((f) => [f.id, status.get(f.id) ?? f.status])).toEqual(
      now.map((f) => [f.id, f.status]),
    );
    expect(
      await db.webhookDelivery.findFirst({ where: { topic: "fulfillment_orders/merged" } }),
    ).toMatchObject({ status: "processed" });
  });
});

describe("the app's own move", () => {
  it("its fulfillment_orders/moved echo reads the order no more", async () => {
    // GIVEN a rule that sends prints to Print Hub, which stocks the lustre print
    const hub = await addPartnerLab(sim, {
      name: "Print Hub",
      sku: "PRINT-LUSTRE-A4",
      available: 5,
    });
    await saveRule(db, sim.shop, {
      name: "Prints go to Print Hub",
      conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
      actions: [{ type: "move", locationId: hub }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
      payment: "paid",
    });
    // WHEN the app moves it, and Shopify's webhook of that move comes in
    await settle(await deps());
    const reads = await orderReads();
    expect(await inboxAndRefreshes()).toBe(0);
    // THEN the row shows Print Hub from the app's own read, and nothing more was read
    const moved = await db.webhookDelivery.findFirstOrThrow({
      where: { topic: "fulfillment_orders/moved" },
    });
    expect(moved.status).toBe("processed");
    const row = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(row.locationName).toBe("Print Hub");
    expect(await orderReads()).toBe(reads);
  });

  it("its fulfillment_orders/merged echo reads the order no more", async () => {
    // GIVEN two prints staff split onto two fulfillment orders before the app saw the order, and
    // a rule that merges an order's work into one parcel
    const { orderId } = await sim.createOrder({
      lineItems: ["PRINT-LUSTRE-A4", "PRINT-MATTE-A4"].map((sku) => ({ sku, quantity: 1 })),
      payment: "paid",
    });
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders;
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderSplit",
        orderId,
        fo!.id,
        {
          fulfillmentOrderSplits: [
            {
              fulfillmentOrderId: fo!.id,
              fulfillmentOrderLineItems: [{ id: fo!.lineItems[1]!.id, quantity: 1 }],
            },
          ],
        },
        "Split",
        STAFF,
      ),
    );
    // (the split's own webhook read the order before the rule was saved)
    await inboxAndRefreshes();
    await saveRule(db, sim.shop, {
      name: "One parcel",
      conditions: [],
      actions: [{ type: "merge" }],
    });
    // WHEN the app merges them, and Shopify's webhook of that merge comes in
    await settle(await deps());
    expect(
      (await sim.orderState(orderId)).fulfillmentOrders.filter((f) => f.status !== "CLOSED"),
    ).toHaveLength(1);
    const reads = await orderReads();
    expect(await inboxAndRefreshes()).toBe(0);
    // THEN nothing more was read for it
    expect(
      await db.webhookDelivery.findFirst({ where: { topic: "fulfillment_orders/merged" } }),
    ).toMatchObject({ status: "processed" });
    expect(await orderReads()).toBe(reads);
  });
});
