// An extra charge after payment against the shop simulator, the whole way Shopify takes it: the
// app creates the draft order with the amount and e-mails its invoice, the customer pays it, the
// signed webhooks (draft_orders/update, orders/paid of the order it became) reach the inbox, the
// worker records the charge paid, and the merchant's rule "extra charge is paid" releases the original.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import {
  createExtraCharge,
  extraChargesOf,
  parseExtraChargeForm,
} from "~/fulfilment/extra-charge.server";
import { installShop } from "../support/install";
import { emptyTables, saveRule, withShopSimulator, withWorker } from "../support/integration";

const sim = withShopSimulator({ webhooks: true, reset: false });
const { deps: workerDeps, settle: settleWorker } = withWorker(sim, db);

beforeEach(async () => {
  await emptyTables(db);
  await db.shop.create({ data: { shop: sim.shop, defaultMode: "manual" } });
  await installShop(db, sim.shop);
  await saveRule(db, sim.shop, {
    id: "rule-wait-for-charge",
    name: "Wait for the extra charge",
    position: 0,
    conditions: [{ field: "extra_charge", operator: "equals", value: "awaiting_payment" }],
    actions: [{ type: "hold", reason: "AWAITING_PAYMENT", note: "Extra charge not paid yet" }],
  });
  await saveRule(db, sim.shop, {
    id: "rule-charge-paid",
    name: "Extra charge paid",
    position: 1,
    conditions: [{ field: "extra_charge", operator: "equals", value: "paid" }],
    actions: [{ type: "fulfil_automatically" }],
  });
});

/** Each reading of "paid" must do on its own: `without` is a topic whose deliveries never arrive. */
const settle = (worker: WorkerDeps, without?: string) => settleWorker(worker, { without });

const merchant = () => ({ shop: sim.shop, actor: "Lena" });
const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

function chargeForm(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const parsed = parseExtraChargeForm(form);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

async function draftOf(draftOrderId: string) {
  const data = await sim.gateway.request<{
    draftOrder: {
      status: string;
      invoiceSentAt: string | null;
      email: string | null;
      tags: string[];
      note2: string | null;
      totalPriceSet: { shopMoney: { amount: string } };
    } | null;
  }>(
    `query($id: ID!) { draftOrder(id: $id) { status invoiceSentAt email tags note2 totalPriceSet { shopMoney { amount } } } }`,
    { id: draftOrderId },
  );
  return data.draftOrder!;
}

async function chargedAndHeld(worker: WorkerDeps) {
  const { orderId, name } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
    email: "ann@example.com",
  });
  await settle(worker);
  const result = await createExtraCharge(
    deps(),
    merchant(),
    orderId,
    chargeForm({
      amount: "12,50",
      reason: "Size change to A3",
      message: "Your print grows to A3: the larger paper costs 12.50 EUR more.",
    }),
  );
  if (!result.ok) throw new Error(JSON.stringify(result));
  await settle(worker);
  const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
  return { orderId, name, result, charge };
}

describe("an extra charge after payment", () => {
  it("creates the draft with the charge, e-mails its invoice, holds the original by the rule; paid, the rule releases and fulfils it", async () => {
    const worker = await workerDeps();
    const { orderId, name, result, charge } = await chargedAndHeld(worker);

    expect(result).toEqual({
      ok: true,
      draftOrderName: charge.draftOrderName,
      orderName: name,
      email: "ann@example.com",
      linked: true,
    });
    // On Shopify: the draft at the amount, its invoice sent to the customer, linked to the original.
    const draft = await draftOf(charge.draftOrderId!);
    expect(draft).toMatchObject({
      status: "INVOICE_SENT",
      email: "ann@example.com",
      tags: ["extra-charge"],
      note2: `Extra charge for ${name}: Size change to A3`,
      totalPriceSet: { shopMoney: { amount: "12.50" } },
    });
    expect(draft.invoiceSentAt).not.toBeNull();
    // The customer's invoice e-mail carries the merchant's message (EmailInput.customMessage).
    const sentDraft = await sim.control<{ invoiceEmails: { to: string; customMessage: string }[] }>(
      "GET",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}`,
    );
    expect(sentDraft.invoiceEmails).toEqual([
      expect.objectContaining({
        to: "ann@example.com",
        customMessage: "Your print grows to A3: the larger paper costs 12.50 EUR more.",
      }),
    ]);
    const before = await sim.orderState(orderId);
    expect(before.tags).toContain("extra-charge-open");
    expect(before.note).toContain(
      `Extra charge ${charge.draftOrderName} (12.50 EUR): Size change to A3`,
    );
    // The merchant's rule holds the original while the charge waits.
    expect(before.fulfillmentOrders.flatMap((f) => f.holds.map((h) => h.reason))).toEqual([
      "AWAITING_PAYMENT",
    ]);
    expect(charge).toMatchObject({ status: "invoice_sent", amount: "12.50", createdBy: "Lena" });

    // The customer pays the invoice: Shopify's webhooks reach the inbox and the worker.
    const paid = await sim.control<{ orderId: string; name: string }>(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await settle(worker);

    expect(await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).toMatchObject({
      status: "paid",
      paidOrderId: paid.orderId,
      paidOrderName: paid.name,
    });
    const after = await sim.orderState(orderId);
    expect(after.tags).toContain("extra-charge-paid");
    expect(after.tags).not.toContain("extra-charge-open");
    // Released by the rule "extra charge is paid" and fulfilled.
    expect(after.fulfillmentOrders.flatMap((f) => f.holds)).toEqual([]);
    expect(after.fulfillmentOrders.map((f) => f.status)).toEqual(["CLOSED"]);
    expect(after.fulfillments).toHaveLength(1);
    // Both orders show the link in the app.
    const onOriginal = await extraChargesOf(db, sim.shop, orderId);
    expect(onOriginal.charges.map((c) => [c.status, c.paidOrderName])).toEqual([
      ["paid", paid.name],
    ]);
    expect((await extraChargesOf(db, sim.shop, paid.orderId)).paysFor).toMatchObject({
      orderName: name,
      draftOrderName: charge.draftOrderName,
    });
    // Every change went through the executor as Steps of decisions on the original.
    const steps = await db.step.findMany({
      where: { decision: { orderId } },
      orderBy: [{ decision: { createdAt: "asc" } }, { position: "asc" }],
    });
    expect(steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining([
        "draftOrderCreate",
        "draftOrderInvoiceSend",
        "tagsAdd",
        "orderUpdate",
        "tagsRemove",
        "fulfillmentOrderReleaseHold",
        "fulfillmentCreate",
      ]),
    );
  });

  it("counts the charge paid from draft_orders/update alone (the draft completed into a paid order)", async () => {
    const worker = await workerDeps();
    const { orderId, charge } = await chargedAndHeld(worker);
    await sim.control(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await settle(worker, "orders/paid");
    expect((await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).status).toBe(
      "paid",
    );
    expect((await sim.orderState(orderId)).fulfillmentOrders.map((f) => f.status)).toEqual([
      "CLOSED",
    ]);
  });

  it("counts the charge paid from orders/paid of the order it became alone", async () => {
    const worker = await workerDeps();
    const { orderId, charge } = await chargedAndHeld(worker);
    await sim.control(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await settle(worker, "draft_orders/update");
    expect((await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).status).toBe(
      "paid",
    );
    expect((await sim.orderState(orderId)).fulfillmentOrders.map((f) => f.status)).toEqual([
      "CLOSED",
    ]);
  });

  it("refuses more than was ordered and a form without an amount or reason, sending nothing to Shopify", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const form = new FormData();
    form.set("amount", "-3");
    form.set("reason", " ");
    expect(parseExtraChargeForm(form)).toEqual({
      ok: false,
      errors: { amount: true, reason: true },
    });
    const state = await sim.orderState(orderId);
    const lineItemId = state.fulfillmentOrders[0]!.lineItems[0]!.lineItemId;
    const refused = await createExtraCharge(deps(), merchant(), orderId, {
      amount: "5.00",
      reason: "Size change",
      lines: [{ lineItemId, quantity: 2 }],
    });
    expect(refused).toEqual({
      ok: false,
      refusal: { code: "tooMany", title: expect.stringContaining("Fine Art"), ordered: 1 },
    });
    expect(await db.step.count({ where: { decision: { orderId } } })).toBe(0);
  });

  it("paid after the original was canceled: the original is not tagged or released, and the charge says so", async () => {
    const worker = await workerDeps();
    const { orderId, name, charge } = await chargedAndHeld(worker);
    // Staff cancel the original in Shopify admin while the invoice waits.
    const canceled = await sim.gateway.request<{
      orderCancel: { orderCancelUserErrors: { message: string }[] };
    }>(
      `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { orderCancelUserErrors { message } } }`,
      { id: orderId },
    );
    expect(canceled.orderCancel.orderCancelUserErrors).toEqual([]);
    await settle(worker);
    await sim.control(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await settle(worker);

    expect(await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).toMatchObject({
      status: "paid",
      error: `${name} was canceled meanwhile: it was not tagged or noted`,
    });
    expect((await sim.orderState(orderId)).tags).not.toContain("extra-charge-paid");
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "service" },
      orderBy: { createdAt: "desc" },
    });
    expect(decision.status).toBe("needs_attention");
    expect(JSON.parse(decision.explanation)).toContain(
      `${name} was canceled meanwhile: it was not tagged or noted`,
    );
  });
});
