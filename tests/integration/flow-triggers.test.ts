// The app's Shopify Flow triggers against the simulator's Flow: a merchant enabling a workflow that
// starts from a trigger reaches the app as Flow's signed lifecycle callback; routing that holds a
// fulfillment order for review then announces "Fulfillment order needs review" once, each kind of
// event reaches Flow with the order, the fulfillment order and the reason, and a shop with no
// enabled workflow using the trigger is sent nothing (no mutation spent on its bucket).
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ruleToStored, type Rule } from "~/routing";
import { routeOrder } from "~/fulfilment/route-order.server";
import {
  announceToFlow,
  FLOW_TRIGGER_HANDLES,
  flowTriggerInUse,
  recordFlowTriggerLifecycle,
} from "~/fulfilment/flow-triggers.server";
import { receiveFlowTriggerLifecycle } from "~/webhooks/flow-lifecycle.server";
import { ensureShop } from "~/services/shops.server";
import { env } from "~/utils/env.server";
import { withFreshDatabase, withShopSimulator } from "../support/integration";

let app: Server;
let appUrl: string;

/** The app's lifecycle callback route behind a real HTTP listener, as Flow reaches it. */
async function startAppRoute(): Promise<void> {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (req.url !== "/flow/trigger-lifecycle") return res.writeHead(404).end();
      const request = new Request(`${appUrl}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
      });
      const response = await receiveFlowTriggerLifecycle(request, db);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    });
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

beforeAll(startAppRoute);
afterAll(() => new Promise((r) => app.close(r)));
const sim = withShopSimulator({ appUrl: () => appUrl });
const db = withFreshDatabase();

/** The merchant turns a workflow starting from the trigger on or off in Flow. */
const workflow = (trigger: string, enabled = true) =>
  sim.control<{ enabled: boolean; callback: { status: number; body: string } | null }>(
    "POST",
    "/_sim/flow/workflows",
    { shop: sim.shop, trigger, enabled },
  );

/** The Admin API calls of the shop that were flowTriggerReceive. */
const triggerCalls = async () =>
  (
    await sim.control<{
      shops: Record<string, { operations: Record<string, { calls: number }> }>;
    }>("GET", "/_sim/stats")
  ).shops[sim.shop]?.operations.FlowTriggerReceive?.calls ?? 0;

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
    expect(await workflow(FLOW_TRIGGER_HANDLES.needs_review)).toMatchObject({
      enabled: true,
      callback: { status: 200 },
    });
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
    expect(await triggerCalls()).toBe(1);
  });

  it("is not sent, and costs no Admin API call, while no enabled workflow starts from it", async () => {
    await saveReviewRule();
    const order = () =>
      sim.createOrder({ lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }], payment: "paid" });
    // Flow never told the app of a workflow: none can be enabled without the app hearing of it.
    const first = await order();
    await routeOrder(deps(), { shop: sim.shop, orderId: first.orderId, trigger: "webhook" });
    // A workflow enabled and then disabled again.
    await workflow(FLOW_TRIGGER_HANDLES.needs_review);
    expect(await workflow(FLOW_TRIGGER_HANDLES.needs_review, false)).toMatchObject({
      enabled: false,
      callback: { status: 200 },
    });
    const second = await order();
    await routeOrder(deps(), { shop: sim.shop, orderId: second.orderId, trigger: "webhook" });

    for (const { orderId } of [first, second]) {
      const state = await sim.orderState(orderId);
      expect(state.fulfillmentOrders[0]!.status).toBe("ON_HOLD");
    }
    expect(await flowRuns()).toEqual([]);
    expect(await triggerCalls()).toBe(0);
  });

  it("is not sent for an order the rules let through", async () => {
    await workflow(FLOW_TRIGGER_HANDLES.needs_review);
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "DIGITAL-FULL", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect(await flowRuns()).toEqual([]);
  });
});

describe("a shop installed before the app had Flow's lifecycle callback", () => {
  // What the migration that brought the callback's default marks on every shop it finds.
  beforeEach(async () => {
    await db.shop.update({
      where: { shop: sim.shop },
      data: { flowTriggersBeforeLifecycle: true },
    });
  });

  it("is sent a trigger Flow never called back about, and then as Flow's callback says", async () => {
    await saveReviewRule();
    const routedOrder = async () => {
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
        payment: "paid",
      });
      await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    };
    // A workflow enabled before the callback existed: Flow never told the app of it.
    await routedOrder();
    expect(await flowRuns(FLOW_TRIGGER_HANDLES.needs_review)).toHaveLength(1);
    // A callback about another trigger says nothing about this one.
    await workflow(FLOW_TRIGGER_HANDLES.drift_found);
    await routedOrder();
    expect(await flowRuns(FLOW_TRIGGER_HANDLES.needs_review)).toHaveLength(2);
    // The merchant turns the workflow off: from Flow's first word on, it decides.
    expect(await workflow(FLOW_TRIGGER_HANDLES.needs_review, false)).toMatchObject({
      callback: { status: 200 },
    });
    await routedOrder();
    expect(await flowRuns(FLOW_TRIGGER_HANDLES.needs_review)).toHaveLength(2);
    expect(await triggerCalls()).toBe(2);
  });

  it("is not marked on a shop installed since", async () => {
    await db.shop.delete({ where: { shop: sim.shop } });
    await ensureShop(db, sim.shop);
    expect(await flowTriggerInUse(db, sim.shop, "needs_review")).toBe(false);
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
      await workflow(FLOW_TRIGGER_HANDLES[kind]);
      const result = await announceToFlow(deps(), {
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
    await workflow(FLOW_TRIGGER_HANDLES.drift_found);
    await sim.control("POST", "/_sim/faults", { errorRate: 1 });
    const result = await announceToFlow(deps(), {
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

describe("Flow's trigger lifecycle callback", () => {
  it("is refused (401) unsigned or signed with another secret, recording nothing", async () => {
    const body = JSON.stringify({
      flow_trigger_definition_id: FLOW_TRIGGER_HANDLES.needs_review,
      has_enabled_flow: true,
      shop_id: 1,
      shopify_domain: sim.shop,
      timestamp: new Date().toISOString(),
    });
    const signatures: Record<string, string>[] = [
      {},
      { "X-Shopify-Hmac-Sha256": "bm90IHRoZSBzaWduYXR1cmU=" },
    ];
    for (const headers of signatures) {
      const response = await fetch(`${appUrl}/flow/trigger-lifecycle`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body,
      });
      expect(response.status).toBe(401);
    }
    expect(await flowTriggerInUse(db, sim.shop, "needs_review")).toBe(false);
  });

  it("answers 400 to a signed callback about a trigger the app does not have, recording nothing", async () => {
    const body = JSON.stringify({
      flow_trigger_definition_id: "someone-elses-trigger",
      has_enabled_flow: true,
      shop_id: 1,
      shopify_domain: sim.shop,
      timestamp: new Date().toISOString(),
    });
    const response = await fetch(`${appUrl}/flow/trigger-lifecycle`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", env().SHOPIFY_API_SECRET)
          .update(body, "utf8")
          .digest("base64"),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(await db.flowTriggerUse.count()).toBe(0);
  });

  it("keeps the newest word: a callback older than the one recorded changes nothing", async () => {
    const handle = FLOW_TRIGGER_HANDLES.request_stuck;
    const at = new Date("2026-12-05T10:00:00Z");
    await recordFlowTriggerLifecycle(db, { shop: sim.shop, handle, enabled: true, at });
    await recordFlowTriggerLifecycle(db, {
      shop: sim.shop,
      handle,
      enabled: false,
      at: new Date(at.getTime() - 1000),
    });
    expect(await flowTriggerInUse(db, sim.shop, "request_stuck")).toBe(true);
    await recordFlowTriggerLifecycle(db, {
      shop: sim.shop,
      handle,
      enabled: false,
      at: new Date(at.getTime() + 1000),
    });
    expect(await flowTriggerInUse(db, sim.shop, "request_stuck")).toBe(false);
  });
});
