// Remaking lines of an order against the shop simulator, the whole way Shopify takes it: the app
// creates and completes a draft order, Shopify's signed webhooks for the new order reach the
// inbox, the worker routes it by the rules like any order, and both orders name each other.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import { parseRemakeForm, readRemakeSource, remakeOrder } from "~/fulfilment/remake.server";
import { installShop } from "../support/install";
import { emptyTables, saveRule, withShopSimulator, withWorker } from "../support/integration";

const sim = withShopSimulator({ webhooks: true, reset: false });
const { deps: workerDeps, settle } = withWorker(sim, db);

beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({ data: { shop: sim.shop } });
  await installShop(db, sim.shop);
  await saveRule(db, sim.shop, {
    id: "rule-review-prints",
    name: "Prints wait for a look at the crop",
    conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
    actions: [{ type: "hold_for_review" }],
  });
});

const merchant = () => ({ shop: sim.shop, actor: "Lena" });
const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

function remakeForm(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

async function paidPrintOrder(worker: WorkerDeps) {
  const { orderId, name } = await sim.createOrder({
    lineItems: [
      { sku: "PRINT-MATTE-A4", quantity: 2, properties: { Crop: "12,8,88,92" } },
      { sku: "LAB-METALLIC-30x45", quantity: 1 },
    ],
    payment: "paid",
  });
  await settle(worker);
  const source = (await readRemakeSource(sim.gateway, orderId))!;
  const print = source.lineItems.find((l) => l.sku === "PRINT-MATTE-A4")!;
  return { orderId, name, print };
}

describe("remaking lines of an order", () => {
  it("makes the chosen lines again at no charge, routed by the rules, and links both orders", async () => {
    const worker = await workerDeps();
    const { orderId, name, print } = await paidPrintOrder(worker);

    const form = parseRemakeForm(
      remakeForm({ reason: "Wrong crop", charge: "none", [`line:${print.id}`]: "1" }),
    );
    if (!form.ok) throw new Error(JSON.stringify(form.errors));
    const result = await remakeOrder(deps(), merchant(), orderId, form.value);
    if (!result.ok) throw new Error(JSON.stringify(result));
    await settle(worker);

    // The replacement on Shopify: paid at nothing, the crop kept, the link in its note and tag.
    const replacement = await sim.orderState(result.replacement.orderId);
    expect(replacement.financialStatus).toBe("PAID");
    expect(replacement.note).toBe(`Remake of ${name}: Wrong crop`);
    expect(replacement.tags).toContain("remake");
    const replacementSource = (await readRemakeSource(sim.gateway, result.replacement.orderId))!;
    expect(replacementSource.lineItems).toEqual([
      expect.objectContaining({
        sku: "PRINT-MATTE-A4",
        quantity: 1,
        customAttributes: [{ key: "Crop", value: "12,8,88,92" }],
      }),
    ]);
    // Routed by the rules from Shopify's webhooks: held for review like any print order.
    const routed = await db.decision.findFirst({
      where: { orderId: result.replacement.orderId, trigger: { not: "merchant" } },
    });
    expect(routed?.status).toBe("applied");
    expect(replacement.fulfillmentOrders.flatMap((f) => f.holds.map((h) => h.reason))).toEqual([
      "OTHER",
    ]);
    // The original names the replacement on Shopify.
    const original = await sim.orderState(orderId);
    expect(original.tags).toContain("remade");
    expect(original.note).toContain(`Remade as ${result.replacement.name}: Wrong crop`);
    // And in the app, both ways.
    const link = await db.remake.findFirstOrThrow({ where: { orderId } });
    expect(link).toMatchObject({
      status: "completed",
      reason: "Wrong crop",
      unitPrice: "0.00",
      replacementOrderId: result.replacement.orderId,
      replacementName: result.replacement.name,
      createdBy: "Lena",
    });
    const steps = await db.step.findMany({
      where: { decision: { orderId, trigger: "merchant" } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["draftOrderCreate", "succeeded"],
      ["draftOrderComplete", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["orderUpdate", "succeeded"],
    ]);
  });

  it("charges the set price per item", async () => {
    const worker = await workerDeps();
    const { orderId, print } = await paidPrintOrder(worker);
    const form = parseRemakeForm(
      remakeForm({
        reason: "Damaged in transit",
        charge: "set",
        unitPrice: "7.5",
        [`line:${print.id}`]: "2",
      }),
    );
    if (!form.ok) throw new Error(JSON.stringify(form.errors));
    const result = await remakeOrder(deps(), merchant(), orderId, form.value);
    if (!result.ok) throw new Error(JSON.stringify(result));
    const replacement = await sim.orderState(result.replacement.orderId);
    expect(replacement.financialStatus).toBe("PAID");
    expect(replacement.transactions.map((t) => [t.kind, t.amount])).toEqual([["SALE", "15.00"]]);
  });

  it("refuses more than was ordered, a reason not on the shop's list, and a form without lines, creating nothing", async () => {
    const worker = await workerDeps();
    const { orderId, print } = await paidPrintOrder(worker);

    const tooMany = await remakeOrder(deps(), merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 3 }],
      reason: "Print fault",
      unitPrice: "0.00",
    });
    expect(tooMany).toEqual({
      ok: false,
      refusal: { code: "tooMany", title: expect.stringContaining("Fine Art"), ordered: 2 },
    });
    await db.shop.update({
      where: { shop: sim.shop },
      data: { remakeReasons: JSON.stringify(["Paper jam"]) },
    });
    const unknown = await remakeOrder(deps(), merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Print fault",
      unitPrice: "0.00",
    });
    expect(unknown).toEqual({
      ok: false,
      refusal: { code: "unknownReason", reason: "Print fault" },
    });
    expect(
      parseRemakeForm(remakeForm({ reason: "Paper jam", charge: "set", unitPrice: "abc" })),
    ).toEqual({ ok: false, errors: { unitPrice: true, lines: true } });
    // Every change to Shopify is a Step of a decision: none was made.
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(0);
    expect(await db.remake.count()).toBe(0);
  });
});
