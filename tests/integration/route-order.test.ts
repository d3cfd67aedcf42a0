// Paid orders decided and carried out against the shop simulator: rules, defaults, capability
// routing, approvals and merchant commands, each checked on Shopify's side of the wire.
import { beforeEach, describe, expect, it } from "vitest";
import { routeOrder } from "~/fulfilment/route-order.server";
import { runCommand } from "~/fulfilment/commands.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { inEnglish, saveRule, withFreshDatabase, withShopSimulator } from "../support/integration";

const sim = withShopSimulator();
const db = withFreshDatabase();

beforeEach(async () => {
  // The simulator seeds the shop afresh for every test, with new location ids; a real shop keeps
  // its locations, so the router's reused locations are forgotten here as a new shop's would be.
  forgetLocations(sim.shop);
  await db.shop.create({
    data: { shop: sim.shop, defaultMode: "manual", digitalDownloads: "automatic" },
  });
});

const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

/** How many times the app has read an order from the simulator (the OrderSnapshot and OrderRoutingSnapshot queries). */
async function orderReads(): Promise<number> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  const operations = stats.shops[sim.shop]?.operations ?? {};
  // The router reads with OrderRoutingSnapshot; merchant commands and screens with OrderSnapshot.
  return (operations.OrderSnapshot?.calls ?? 0) + (operations.OrderRoutingSnapshot?.calls ?? 0);
}

describe("routing a paid order", () => {
  it("fulfils digital downloads and gift cards by themselves (Settings: digital downloads automatic)", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [
        { sku: "DIGITAL-FULL", quantity: 1 },
        { sku: "GIFT-50", quantity: 1 },
      ],
      payment: "paid",
    });
    const readsBefore = await orderReads();
    const result = await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect(result.status).toBe("applied");
    // The fulfillment of every remaining line closes the fulfillment order: no read after it.
    expect((await orderReads()) - readsBefore).toBe(1);
    const state = await sim.orderState(orderId);
    expect(state.fulfillments.length).toBeGreaterThan(0);
    expect(state.fulfillmentOrders.every((fo) => fo.status === "CLOSED")).toBe(true);
    const records = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.status === "CLOSED")).toBe(true);
    const steps = await db.step.findMany({ where: { decision: { orderId } } });
    expect(steps.map((s) => s.kind)).toContain("fulfillmentCreate");
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
  });

  it("holds lab prints for review with the app's handle, then sends them to the lab on approval", async () => {
    await saveRule(db, sim.shop, {
      name: "Lab prints after a look at the crop",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [
        { type: "hold_for_review", note: "Check the crop" },
        { type: "submit_fulfilment_request", notifyCustomer: false },
      ],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 2 }],
      payment: "paid",
    });
    const readsBefore = await orderReads();
    const result = await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect(result.status).toBe("applied");
    // The release gate's hold, its release and the review hold: each mutation's answer says how
    // the fulfillment order now stands, so the order is read once (ADR 012).
    expect((await orderReads()) - readsBefore).toBe(1);
    let state = await sim.orderState(orderId);
    const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
    expect(fo.status).toBe("ON_HOLD");
    expect(fo.holds).toHaveLength(1);
    expect(fo.holds[0]!.handle).toMatch(/^fr-/);
    expect(fo.requestStatus).toBe("UNSUBMITTED");
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { fulfillmentOrderId: fo.id },
    });
    // The queue shows it as Shopify has it after the changes: in review, with the hold's note.
    expect(record).toMatchObject({ outcome: "in_review", status: "ON_HOLD" });
    expect(record.reason).toContain("Check the crop");
    // The queue's hold-reason filter reads Shopify's code, whatever the reason's words.
    expect(record.holdReason).toBe(fo.holds[0]!.reason);
    expect(record.holdReason).toMatch(/^[A-Z_]+$/);

    const approved = await runCommand(
      deps(),
      { shop: sim.shop, actor: "Merchant" },
      { action: "approve", fulfillmentOrderId: fo.id },
    );
    expect(approved.ok).toBe(true);
    state = await sim.orderState(orderId);
    const after = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
    expect(after.holds).toHaveLength(0);
    expect(after.requestStatus).toBe("SUBMITTED");
  });

  it("routes in-house only what the studio can produce in full, and sends the rest to the partner lab", async () => {
    const studio = (await sim.location("Studio")).id;
    const lab = (await sim.location("Partner Lab")).id;
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: studio,
        name: "Studio",
        kind: "in_house",
        productTypes: JSON.stringify(["Print"]),
        options: JSON.stringify({
          Paper: ["Lustre", "Matte"],
          Size: ["A4", "A3", "10x15", "13x18", "20x30"],
          Finish: ["None", "Varnish"],
        }),
      },
    });
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: lab,
        name: "Partner Lab",
        kind: "partner",
        productTypes: JSON.stringify(["Print", "Canvas", "Lab Print", "Poster"]),
        options: JSON.stringify({
          Paper: ["Lustre", "Matte", "Metallic", "Satin"],
          Size: ["A4", "A3", "A1", "A0", "20x30", "30x45", "40x60", "60x90", "100x150"],
          Finish: ["None", "Varnish", "Gallery Wrap", "Framed"],
        }),
      },
    });
    await saveRule(db, sim.shop, {
      name: "Split by capability",
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [
        { sku: "PRINT-LUSTRE-A4", quantity: 1 },
        { sku: "CANVAS-60x90-WRAP", quantity: 1 },
      ],
      payment: "paid",
    });
    const result = await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    expect(["applied", "needs_attention"]).toContain(result.status);
    const state = await sim.orderState(orderId);
    const where = (sku: string) =>
      state.fulfillmentOrders
        .filter(
          (f) =>
            f.status !== "CLOSED" &&
            f.lineItems.some((l) => l.sku === sku && l.remainingQuantity > 0),
        )
        .map((f) => f.location.name);
    expect(where("PRINT-LUSTRE-A4")).toEqual(["Studio"]);
    expect(where("CANVAS-60x90-WRAP")).toEqual(["Partner Lab"]);
  });

  it("makes one decision per order however often the webhook and reconciliation ask", async () => {
    await saveRule(db, sim.shop, {
      name: "Tag high value",
      conditions: [{ field: "order_total", operator: "greater_than", value: 1 }],
      actions: [{ type: "add_order_tags", tags: ["routed"] }, { type: "hold_for_review" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const first = await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const before = await sim.orderState(orderId);
    const again = await Promise.all([
      routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" }),
      routeOrder(deps(), { shop: sim.shop, orderId, trigger: "reconciliation" }),
    ]);
    expect(first.status).toBe("applied");
    expect(again.map((r) => r.status)).toEqual(["already_decided", "already_decided"]);
    const after = await sim.orderState(orderId);
    expect(after.tags).toEqual(before.tags);
    expect(after.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(
      before.fulfillmentOrders.flatMap((f) => f.holds).length,
    );
    expect(await db.decision.count({ where: { orderId } })).toBe(1);
  });

  it("two runners deciding one order at the same moment (a second worker took the job's lease while the first still ran) record one decision between them", async () => {
    await saveRule(db, sim.shop, {
      name: "Tag and look",
      conditions: [{ field: "order_total", operator: "greater_than", value: 1 }],
      actions: [{ type: "add_order_tags", tags: ["routed"] }, { type: "hold_for_review" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    // Both ask "already decided?" before either has written anything: only the database can
    // keep the second from recording (and applying) a decision of its own.
    const results = await Promise.all([
      routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" }),
      routeOrder(deps(), { shop: sim.shop, orderId, trigger: "reconciliation" }),
    ]);
    const decisions = await db.decision.findMany({ where: { orderId } });
    expect(decisions.map((d) => d.status)).toEqual(["applied"]);
    expect(new Set(results.map((r) => r.decisionId))).toEqual(new Set([decisions[0]!.id]));
    const state = await sim.orderState(orderId);
    expect(state.tags.filter((t) => t === "routed")).toHaveLength(1);
    // Every change of the one decision is recorded once, whichever runner made it.
    const steps = await db.step.findMany({ where: { decisionId: decisions[0]!.id } });
    expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
  });

  it("rides out throttling and 5xx answers without applying any change twice", async () => {
    await saveRule(db, sim.shop, {
      name: "Hold risky",
      conditions: [{ field: "order_total", operator: "greater_than", value: 1 }],
      actions: [
        { type: "hold", reason: "HIGH_RISK_OF_FRAUD", note: "Call the customer" },
        { type: "add_order_tags", tags: ["checked"] },
      ],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await sim.control("POST", "/_sim/faults", { throttle: 2, errorRate: 0.3 });
    let result;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        result = await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
        break;
      } catch {
        // The job would run again; so does this loop.
      }
    }
    await sim.resetFaults();
    expect(result?.status).toBe("applied");
    const state = await sim.orderState(orderId);
    expect(state.fulfillmentOrders.flatMap((f) => f.holds)).toHaveLength(1);
    expect(state.tags.filter((t) => t === "checked")).toHaveLength(1);
    const stats = await sim.control<{ shops: Record<string, { throttled: number }> }>(
      "GET",
      "/_sim/stats",
    );
    expect(stats.shops[sim.shop]!.throttled).toBeGreaterThanOrEqual(2);
  });

  it("tells the merchant what Shopify refused, in Shopify's words, and leaves the order in needs attention", async () => {
    const { orderId, fulfillmentOrderIds } = await sim.createOrder({
      lineItems: [{ sku: "LAB-LUSTRE-20x30", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const result = await runCommand(
      deps(),
      { shop: sim.shop, actor: null },
      { action: "fulfil", fulfillmentOrderId: fulfillmentOrderIds[0]!, notifyCustomer: false },
    );
    expect(result.ok).toBe(false);
    expect(await inEnglish(result.message)).toMatch(/Partner Lab|fulfillment service/i);
  });
});
