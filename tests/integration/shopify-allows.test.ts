// The rules' moves and merges asked of Shopify first (ADR 094), driven through the simulator's signed
// webhooks and the worker: a move Shopify refuses (the lab does not stock the item) falls to the
// next capable location, or waits for the merchant with Shopify's words; a merge takes only the
// fulfillment orders Shopify's fulfillmentOrdersForMerge lists. Nothing refused is sent.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { makeStep, type StepWhy } from "~/routing";
import { applyStep } from "~/fulfilment/apply-step.server";
import { runCommand } from "~/fulfilment/commands.server";
import { inEnglish, saveRule } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim, deps, settle } = withWorkerSuite({ shop: { releaseGate: false } });
const { trace } = settledOrders(sim);
const WHY: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "test" };

/** A capability profile of a location, as the Capabilities screen saves one (listed in this order). */
const profile = (locationId: string, name: string, kind: "in_house" | "partner", paper: string[]) =>
  db.capabilityProfile.create({
    data: {
      shop: sim.shop,
      locationId,
      name,
      kind,
      productTypes: JSON.stringify(["Print"]),
      options: JSON.stringify({ Paper: paper, Size: ["A4", "A3"], Finish: ["None"] }),
    },
  });

/** The shop's calls of each operation so far, as the simulator counts them. */
async function calls(operation: string): Promise<number> {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number }> }>;
  }>("GET", "/_sim/stats");
  return stats.shops[sim.shop]!.operations[operation]?.calls ?? 0;
}

/** Every step the router tried for the order: kind and status. */
async function steps(orderId: string) {
  const rows = await db.step.findMany({
    where: { decision: { orderId } },
    orderBy: [{ decision: { createdAt: "asc" } }, { position: "asc" }],
  });
  return rows.map((s) => `${s.kind}:${s.status}`);
}

/**
 * The Studio prints lustre only; matte goes to a partner. Print Hub, listed first, makes matte but
 * stocks only lustre A4 (its own app stocked that), so Shopify will not move a matte print there.
 */
async function studioAndPrintHub() {
  await profile((await sim.location("Studio")).id, "Studio", "in_house", ["Lustre"]);
  const hub = await addPartnerLab(sim, { name: "Print Hub", sku: "PRINT-LUSTRE-A4", available: 5 });
  await profile(hub, "Print Hub", "partner", ["Matte"]);
  await saveRule(db, sim.shop, {
    name: "Split by capability",
    conditions: [],
    actions: [{ type: "split", by: "capability" }],
  });
}

async function routedMattePrint(sku = "PRINT-MATTE-A4") {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku, quantity: 1 }],
    payment: "paid",
  });
  await settle(await deps());
  const state = await sim.orderState(orderId);
  return {
    orderId,
    where: state.fulfillmentOrders.filter((f) => f.status !== "CLOSED").map((f) => f.location.name),
    decision: await db.decision.findFirstOrThrow({ where: { orderId } }),
  };
}

describe("a move Shopify would refuse (locationsForMove)", () => {
  it("falls to the next capable location Shopify allows; the refused one is never tried", async () => {
    // GIVEN Print Hub (first) cannot take the matte print, the Partner Lab (next) stocks it
    await studioAndPrintHub();
    await profile((await sim.location("Partner Lab")).id, "Partner Lab", "partner", ["Matte"]);
    // WHEN a customer pays for a matte A4, which Shopify sends to the Studio
    const { orderId, where, decision } = await routedMattePrint();
    // THEN it goes to the Partner Lab in one move Shopify takes, and the trace says why
    expect(where).toEqual(["Partner Lab"]);
    expect(decision.status).toBe("applied");
    expect(await steps(orderId)).toEqual(["fulfillmentOrderMove:succeeded"]);
    const said = await trace(orderId);
    expect(said).toContain(
      "Shopify will not move “Fine Art Print” to “Print Hub” (No items are stocked at this location.), so it goes to “Partner Lab”, the next location that can make it.",
    );
    expect(said).toContain("Shopify allows the move to “Partner Lab”.");
  });

  it("none left: the work waits at the Studio for the merchant with Shopify's reason, nothing sent", async () => {
    await studioAndPrintHub();
    const { orderId, where, decision } = await routedMattePrint();
    expect(where).toEqual(["Studio"]);
    expect(decision.status).toBe("needs_attention");
    expect(await steps(orderId)).toEqual([]);
    expect(await trace(orderId)).toContain(
      "Shopify will not move it to “Print Hub” (No items are stocked at this location.), and no other location that can make it is one Shopify allows. It waits for you. In Shopify admin, stock it at a location that can make it, then choose Route again.",
    );
  });

  it("an order that neither moves nor merges asks Shopify nothing more", async () => {
    await studioAndPrintHub();
    const before = await calls("FulfillmentOrdersShopifyAllows");
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
      payment: "paid",
    });
    await settle(await deps());
    expect((await sim.orderState(orderId)).fulfillmentOrders[0]?.location.name).toBe("Studio");
    expect(await calls("FulfillmentOrdersShopifyAllows")).toBe(before);
  });
});

describe("a merge of fulfillment orders Shopify does not list (fulfillmentOrdersForMerge)", () => {
  it("merges the prints with each other and the downloads with each other, never a print with a download", async () => {
    // GIVEN two prints and two downloads at the Studio, each on its own fulfillment order
    // (staff split them in admin before the app saw the order)
    const { orderId } = await sim.createOrder({
      lineItems: ["PRINT-LUSTRE-A4", "PRINT-MATTE-A4", "DIGITAL-FULL", "DIGITAL-WEB"].map(
        (sku) => ({ sku, quantity: 1 }),
      ),
      payment: "paid",
    });
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders;
    for (const line of fo!.lineItems.slice(1))
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
                fulfillmentOrderLineItems: [{ id: line.id, quantity: 1 }],
              },
            ],
          },
          "Split",
          WHY,
        ),
      );
    const split = (await sim.orderState(orderId)).fulfillmentOrders;
    expect(split.map((f) => f.deliveryMethod)).toEqual(["SHIPPING", "SHIPPING", "NONE", "NONE"]);
    await saveRule(db, sim.shop, {
      name: "One parcel",
      conditions: [],
      actions: [{ type: "merge" }],
    });
    // WHEN the app routes it
    await settle(await deps());
    // THEN two merges, each of one delivery method, and no merge Shopify refused
    const after = (await sim.orderState(orderId)).fulfillmentOrders;
    // The downloads' merged fulfillment order is fulfilled at once (Settings), the prints' waits.
    const merged = after
      .filter((f) => f.lineItems.length > 0)
      .map((f) => [f.deliveryMethod, f.lineItems.map((l) => l.sku).sort()]);
    expect(merged).toEqual([
      ["SHIPPING", ["PRINT-LUSTRE-A4", "PRINT-MATTE-A4"]],
      ["NONE", ["DIGITAL-FULL", "DIGITAL-WEB"]],
    ]);
    const tried = await steps(orderId);
    expect(tried).toEqual([
      "fulfillmentOrderMerge:succeeded",
      "fulfillmentOrderMerge:succeeded",
      "fulfillmentCreate:succeeded",
    ]);
  });
});

describe("the rows a refresh writes: what the order screen says the rules would do (ADR 099)", () => {
  /** "Prints go to Print Hub": Print Hub stocks lustre A4 only (its own app stocked that). */
  async function printsToPrintHub() {
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
  }

  it("a move Shopify would refuse shows as the router's refusal, not as work about to move, asking Shopify once", async () => {
    // GIVEN a matte print the router left at the Studio: Shopify would not move it to Print Hub
    await printsToPrintHub();
    const { orderId, where, decision } = await routedMattePrint();
    expect([where, decision.status]).toEqual([["Studio"], "needs_attention"]);
    const refused =
      "Shopify will not move the fulfillment order from “Studio” to “Print Hub”: No items are stocked at this location. It stays at “Studio” and waits for you. In Shopify admin, stock the products at “Print Hub” (or activate it under Settings › Locations), or change the location in the rule, then choose Route again.";
    const row = () => db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(await inEnglish((await row()).reason)).toBe(refused);
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders;
    const merchant = { shop: sim.shop, actor: "Merchant" };
    const routeDeps = { db, gateway: sim.gateway, now: () => new Date() };

    // WHEN the merchant holds it on the order screen, then releases it (each command rewrites the
    // order's rows as the rules would now plan it)
    const hold = { reason: "OTHER", note: "Checking the crop" } as const;
    await runCommand(routeDeps, merchant, { action: "hold", fulfillmentOrderId: fo!.id, ...hold });
    const before = await calls("FulfillmentOrdersShopifyAllows");
    const released = await runCommand(routeDeps, merchant, {
      action: "release",
      fulfillmentOrderId: fo!.id,
    });
    expect(released.ok).toBe(true);

    // THEN its row says what the router would do: Shopify will not move it to Print Hub, and it
    // waits for the merchant, in the router's words; Shopify was asked once, by the refresh
    expect((await row()).outcome).toBe("needs_attention");
    expect(await inEnglish((await row()).reason)).toBe(refused);
    expect(await calls("FulfillmentOrdersShopifyAllows")).toBe(before + 1);
  });

  it("a refresh whose plan moves nothing asks Shopify nothing more", async () => {
    // GIVEN a lustre print the router moved to Print Hub, which stocks it (asked once)
    await printsToPrintHub();
    const { orderId, where } = await routedMattePrint("PRINT-LUSTRE-A4");
    expect(where).toEqual(["Print Hub"]);
    const before = await calls("FulfillmentOrdersShopifyAllows");
    const [fo] = (await sim.orderState(orderId)).fulfillmentOrders.filter(
      (f) => f.status !== "CLOSED",
    );
    const merchant = { shop: sim.shop, actor: "Merchant" };
    const routeDeps = { db, gateway: sim.gateway, now: () => new Date() };
    // WHEN the merchant holds it and releases it (each command rewrites the order's rows)
    const hold = { reason: "OTHER", note: "Checking the crop" } as const;
    const held = await runCommand(routeDeps, merchant, {
      action: "hold",
      fulfillmentOrderId: fo!.id,
      ...hold,
    });
    const released = await runCommand(routeDeps, merchant, {
      action: "release",
      fulfillmentOrderId: fo!.id,
    });
    expect([held.ok, released.ok]).toEqual([true, true]);
    // THEN the row shows it at Print Hub, and nothing more was asked
    const row = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(row.locationName).toBe("Print Hub");
    expect(row.outcome).not.toBe("needs_attention");
    expect(await calls("FulfillmentOrdersShopifyAllows")).toBe(before);
  });
});
