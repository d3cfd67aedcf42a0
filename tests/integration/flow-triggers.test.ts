// The app's Shopify Flow triggers against the simulator's flowTriggerReceive: routing that holds a
// fulfillment order for review announces "Fulfillment order needs review" once, and each kind of
// event reaches Flow with the order, the fulfillment order and the reason.
import { beforeEach, describe, expect, it } from "vitest";
import { ruleToStored, type Rule } from "~/routing";
import { routeOrder } from "~/fulfilment/route-order.server";
import { announceToFlow, FLOW_TRIGGER_HANDLES } from "~/fulfilment/flow-triggers.server";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

interface FlowRun {
  shop: string;
  handle: string;
  payload: Record<string, string>;
}
const flowRuns = async (handle?: string) =>
  (
    await sim.control<{ triggers: FlowRun[] }>(
      "GET",
      `/_sim/flow/triggers?shop=${sim.shop}${handle ? `&handle=${handle}` : ""}`,
    )
  ).triggers;

beforeEach(async () => {
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

async function saveReviewRule() {
  const rule: Rule = {
    id: "rule-review-lab",
    name: "Lab prints after a look at the crop",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
    actions: [{ type: "hold_for_review", note: "Check the crop" }],
  };
  await db.rule.create({ data: { ...ruleToStored(rule), shop: sim.shop } });
}

describe("Fulfillment order needs review", () => {
  it("is sent to Flow when routing holds a fulfillment order for review, once", async () => {
    await saveReviewRule();
    const { orderId, fulfillmentOrderIds } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });

    const runs = await flowRuns(FLOW_TRIGGER_HANDLES.needs_review);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.payload).toEqual({
      order_id: orderId.split("/").pop(),
      "Fulfillment order ID": fulfillmentOrderIds[0],
      Reason:
        'Waiting for your review (rule "Lab prints after a look at the crop"): Check the crop',
    });
    // The same order routed again (a duplicate webhook, reconciliation) holds nothing new.
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "reconciliation" });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "timer" });
    expect(await flowRuns(FLOW_TRIGGER_HANDLES.needs_review)).toHaveLength(1);
  });

  it("is not sent for an order the rules let through", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect(await flowRuns()).toEqual([]);
  });
});

describe("announceToFlow", () => {
  it("sends stuck requests and drift to their own triggers with order, fulfillment order and reason", async () => {
    const { orderId, fulfillmentOrderIds } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    const fulfillmentOrderId = fulfillmentOrderIds[0]!;
    for (const kind of ["request_stuck", "drift_found"] as const) {
      const result = await announceToFlow(sim.gateway, {
        shop: sim.shop,
        orderId,
        fulfillmentOrderId,
        kind,
        reason: `Partner Lab has not answered\nfor 26 hours (${kind})`,
      });
      expect(result).toEqual({ sent: true });
    }
    const runs = await flowRuns();
    expect(runs.map((r) => r.handle)).toEqual(["fulfillment-request-stuck", "drift-found"]);
    expect(runs[0]!.payload).toEqual({
      order_id: orderId.split("/").pop(),
      "Fulfillment order ID": fulfillmentOrderId,
      Reason: "Partner Lab has not answered for 26 hours (request_stuck)",
    });
  });

  it("answers, not throws, when Shopify cannot be reached, so the work that found the event stands", async () => {
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    const result = await announceToFlow(sim.gateway, {
      shop: sim.shop,
      orderId: "gid://shopify/Order/1",
      fulfillmentOrderId: "gid://shopify/FulfillmentOrder/2",
      kind: "drift_found",
      reason: "Moved to another location by hand",
    });
    expect(result.sent).toBe(false);
    await sim.resetFaults();
    expect(await flowRuns()).toEqual([]);
  });
});
