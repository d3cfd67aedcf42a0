// The app's Shopify Flow actions over HTTP, with the simulator playing Flow: a request signed with
// the app's client secret is stored as one job and answered at once, the worker then routes again
// or releases through the executor; a missing or wrong signature stores nothing (401), a malformed
// body 400.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { routeOrder } from "~/fulfilment/route-order.server";
import { FLOW_ACTION_QUEUE } from "~/fulfilment/flow-actions.server";
import { jobQueue } from "~/process-queue.server";
import { handleFlowAction } from "~/fulfilment/worker.server";
import { action as routeAgainAction } from "~/routes/flow.actions.route-order-again";
import { action as releaseHoldAction } from "~/routes/flow.actions.release-app-hold";
import { emptyTables, saveRule, withShopSimulator } from "../support/integration";

const ROUTES: Record<string, typeof routeAgainAction> = {
  "/flow/actions/route-order-again": routeAgainAction,
  "/flow/actions/release-app-hold": releaseHoldAction,
};

let app: Server;
let appUrl: string;

/** The app's two Flow routes behind a real HTTP listener, as Flow reaches them. */
async function startAppRoutes(): Promise<void> {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const route = ROUTES[req.url ?? ""];
      if (!route) return res.writeHead(404).end();
      const request = new Request(`${appUrl}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
      });
      const response = await route({ request, params: {}, context: {} });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    });
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

beforeAll(startAppRoutes);
afterAll(() => new Promise((r) => app.close(r)));
const sim = withShopSimulator({ appUrl: () => appUrl });

beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });
const worker = () => ({
  db,
  queue: jobQueue(),
  gatewayFor: async () => sim.gateway,
  now: () => new Date(),
});
const runJobs = () => jobQueue().drain(FLOW_ACTION_QUEUE, (job) => handleFlowAction(worker(), job));

/** Flow running the action: the simulator signs and POSTs, and reports the app's answer. */
async function flowRuns(handle: string, orderId: string, actionRunId?: string) {
  return sim.control<{ status: number; body: string; actionRunId: string }>(
    "POST",
    `/_sim/flow/actions/${handle}`,
    { shop: sim.shop, properties: { order_id: orderId.split("/").pop() }, actionRunId },
  );
}

describe("Route order again (Flow action)", () => {
  it("answers at once and routes the order with the rules as they are now", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect((await sim.orderState(orderId)).tags).not.toContain("checked-by-flow");
    // The merchant adds a rule later; their workflow asks for the order to be routed again.
    await saveRule(db, sim.shop, {
      name: "Tag everything",
      conditions: [],
      actions: [{ type: "add_order_tags", tags: ["checked-by-flow"] }],
    });

    const answer = await flowRuns("route-order-again", orderId);
    expect(answer.status).toBe(200);
    // Nothing has happened on Shopify yet: the endpoint only stored the job.
    expect((await sim.orderState(orderId)).tags).not.toContain("checked-by-flow");
    expect(await runJobs()).toBe(1);
    expect((await sim.orderState(orderId)).tags).toContain("checked-by-flow");
    const decision = await db.decision.findFirst({
      where: { orderId, trigger: "merchant" },
      include: { steps: true },
    });
    expect(decision?.steps.map((s) => s.kind)).toContain("tagsAdd");
  });

  it("stores a request Flow retries (same action_run_id) once", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const first = await flowRuns("route-order-again", orderId, "run-1");
    const retry = await flowRuns("route-order-again", orderId, "run-1");
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(await db.job.count({ where: { queue: FLOW_ACTION_QUEUE } })).toBe(1);
  });
});

describe("Release the app's hold (Flow action)", () => {
  it("releases the review hold the app placed, in the decision log as Shopify Flow's", async () => {
    await saveRule(db, sim.shop, {
      name: "Review lab prints",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]!.holds).toHaveLength(1);

    expect((await flowRuns("release-app-hold", orderId)).status).toBe(200);
    await runJobs();
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((fo) => fo.holds)).toEqual([]);
    // The routing released its own release-gate hold first (a lab print goes to the Partner Lab),
    // so the release Flow asked for is the one whose input names Flow as the actor.
    const releases = await db.step.findMany({
      where: { kind: "fulfillmentOrderReleaseHold", decision: { orderId } },
    });
    const byFlow = releases.filter((step) => step.input.includes("Shopify Flow"));
    expect(byFlow).toHaveLength(1);
    expect(byFlow[0]!.status).toBe("succeeded");
  });
});

describe("the signature", () => {
  const body = JSON.stringify({
    shop_id: 1,
    shopify_domain: "fulfilment-router-demo.myshopify.com",
    action_run_id: "run-x",
    action_definition_id: "route-order-again",
    handle: "route-order-again",
    properties: { order_id: "1001" },
  });
  const post = (headers: Record<string, string>, payload = body) =>
    fetch(`${appUrl}/flow/actions/route-order-again`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: payload,
    });
  const sign = (payload: string, secret = process.env.SHOPIFY_API_SECRET!) =>
    createHmac("sha256", secret).update(payload).digest("base64");

  it("answers 401 and stores nothing when signed with another secret", async () => {
    const res = await post({ "X-Shopify-Hmac-Sha256": sign(body, "someone-else") });
    expect(res.status).toBe(401);
    expect(await db.job.count()).toBe(0);
  });

  it("answers 401 and stores nothing without a signature", async () => {
    expect((await post({})).status).toBe(401);
    expect(await db.job.count()).toBe(0);
  });

  it("answers 401 when the body was changed after signing", async () => {
    const tampered = body.replace("1001", "1002");
    expect((await post({ "X-Shopify-Hmac-Sha256": sign(body) }, tampered)).status).toBe(401);
    expect(await db.job.count()).toBe(0);
  });

  it("answers 400 for a signed body without an order, and stores nothing", async () => {
    const payload = JSON.stringify({ ...JSON.parse(body), properties: {} });
    const res = await post({ "X-Shopify-Hmac-Sha256": sign(payload) }, payload);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/order_id/);
    expect(await db.job.count()).toBe(0);
  });

  it("stores a correctly signed request", async () => {
    expect((await post({ "X-Shopify-Hmac-Sha256": sign(body) })).status).toBe(200);
    expect(await db.job.count({ where: { queue: FLOW_ACTION_QUEUE } })).toBe(1);
  });
});
