// An extra charge after payment against the shop simulator, the whole way Shopify takes it: the
// app creates the draft order with the amount and e-mails its invoice, the customer pays it, the
// signed webhooks (draft_orders/update, orders/paid of the order it became) reach the inbox, the
// worker records the charge paid, and the merchant's rule "extra charge is paid" releases the original.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import {
  createExtraCharge,
  extraChargesOf,
  paidDecisionId,
  parseExtraChargeForm,
} from "~/fulfilment/extra-charge.server";
import { cancelOrder, parseCancelForm } from "~/fulfilment/cancel-order.server";
import { translatorOf } from "~/i18n/i18next.server";
import { readWords, readWordsList, renderWords } from "~/i18n/words";
import { withWorkerSuite } from "../support/worker-suite";

const {
  sim,
  deps: workerDeps,
  settle: settleWorker,
} = withWorkerSuite({
  simulator: { reset: false },
  shop: { defaultMode: "manual" },
  rules: [
    {
      id: "rule-wait-for-charge",
      name: "Wait for the extra charge",
      position: 0,
      conditions: [{ field: "extra_charge", operator: "equals", value: "awaiting_payment" }],
      actions: [{ type: "hold", reason: "AWAITING_PAYMENT", note: "Extra charge not paid yet" }],
    },
    {
      id: "rule-charge-paid",
      name: "Extra charge paid",
      position: 1,
      conditions: [{ field: "extra_charge", operator: "equals", value: "paid" }],
      actions: [{ type: "fulfil_automatically" }],
    },
  ],
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

/** The charge drafts of one original (the simulator keeps earlier tests' drafts). */
async function chargeDraftsOf(originalName: string) {
  const data = await sim.gateway.request<{
    draftOrders: { nodes: { id: string; status: string; note2: string | null }[] };
  }>(`query { draftOrders(first: 100, query: "tag:extra-charge") { nodes { id status note2 } } }`);
  return data.draftOrders.nodes.filter((d) =>
    d.note2?.startsWith(`Extra charge for ${originalName}:`),
  );
}

/** The invoice e-mails Shopify sent for a draft. */
async function invoiceEmailsOf(draftOrderId: string) {
  const draft = await sim.control<{ invoiceEmails: { to: string }[] }>(
    "GET",
    `/_sim/draft-orders/${encodeURIComponent(draftOrderId)}`,
  );
  return draft.invoiceEmails;
}

/** The next call of the named mutation reaches Shopify and is made, but its answer is lost. */
const loseAnswerOf = (operation: string) =>
  sim.control("POST", "/_sim/faults", { appliedThenTimeoutOf: { [operation]: 1 }, timeoutMs: 50 });

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

/**
 * The customer pays the charge while the answer to `operation` is lost: only draft_orders/update
 * reads "paid" (so the job's own retry must finish the work), and its first run fails.
 */
async function paidWhileAnswerLost(worker: WorkerDeps, operation: string) {
  const held = await chargedAndHeld(worker);
  await loseAnswerOf(operation);
  await sim.control(
    "POST",
    `/_sim/draft-orders/${encodeURIComponent(held.charge.draftOrderId!)}/pay`,
    {},
  );
  await settle(worker, "orders/paid");
  const failedOnce = await db.job.findMany({ where: { queue: "extra-charge" } });
  expect(failedOnce.some((j) => j.attempts === 1 && j.status === "queued")).toBe(true);
  return held;
}

/** Runs the worker until the job's retry (after its backoff) counts the charge paid. */
async function untilPaid(worker: WorkerDeps, chargeId: string) {
  await expect
    .poll(
      async () => {
        await settle(worker, "orders/paid");
        return (await db.extraCharge.findUniqueOrThrow({ where: { id: chargeId } })).status;
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe("paid");
  await settle(worker, "orders/paid");
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
      `Extra charge ${charge.draftOrderName} (€12.50): Size change to A3`,
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

  // Each reading of "paid" must do on its own: the other topic's deliveries never arrive.
  it.each([
    ["draft_orders/update alone (the draft completed into a paid order)", "orders/paid"],
    ["orders/paid of the order it became alone", "draft_orders/update"],
  ])("counts the charge paid from %s", async (_, without) => {
    const worker = await workerDeps();
    const { orderId, charge } = await chargedAndHeld(worker);
    await sim.control(
      "POST",
      `/_sim/draft-orders/${encodeURIComponent(charge.draftOrderId!)}/pay`,
      {},
    );
    await settle(worker, without);
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

  it("refuses a canceled order before asking Shopify: no draft, and the charge's row says why in the reader's language", async () => {
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    const canceled = await sim.gateway.request<{
      orderCancel: { orderCancelUserErrors: { message: string }[] };
    }>(
      `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { orderCancelUserErrors { message } } }`,
      { id: orderId },
    );
    expect(canceled.orderCancel.orderCancelUserErrors).toEqual([]);
    const refused = await createExtraCharge(
      deps(),
      merchant(),
      orderId,
      chargeForm({ amount: "4", reason: "Extra shipping" }),
    );
    expect(refused).toEqual({ ok: false, refusal: { code: "cancelled" } });
    expect(await chargeDraftsOf(name)).toEqual([]);
    expect(await db.step.count({ where: { decision: { orderId } } })).toBe(0);
    const row = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    expect(row).toMatchObject({ status: "failed", draftOrderId: null });
    const german = await translatorOf("de");
    expect(renderWords(german, readWords(row.error!))).toBe(
      german("extraCharge.refusals.cancelled"),
    );
  });

  it("refuses an order without a customer e-mail before asking Shopify: there is nobody to send the invoice to", async () => {
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    // Staff removed the order's e-mail in Shopify admin.
    const updated = await sim.gateway.request<{ orderUpdate: { userErrors: unknown[] } }>(
      `mutation RemoveEmail($id: ID!) { orderUpdate(input: { id: $id, email: null }) { userErrors { message } } }`,
      { id: orderId },
    );
    expect(updated.orderUpdate.userErrors).toEqual([]);
    const refused = await createExtraCharge(
      deps(),
      merchant(),
      orderId,
      chargeForm({ amount: "4", reason: "Extra shipping" }),
    );
    expect(refused).toEqual({ ok: false, refusal: { code: "noEmail" } });
    expect(await chargeDraftsOf(name)).toEqual([]);
    expect(await db.step.count({ where: { decision: { orderId } } })).toBe(0);
    const row = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    const english = await translatorOf("en");
    expect(renderWords(english, readWords(row.error!))).toBe(
      english("extraCharge.refusals.noEmail"),
    );
  });

  it("deletes the open charge's draft when the merchant cancels the order, so its invoice can no longer be paid", async () => {
    const worker = await workerDeps();
    const { orderId, name, charge } = await chargedAndHeld(worker);
    expect(charge.status).toBe("invoice_sent");
    const form = new FormData();
    form.set("reason", "CUSTOMER");
    form.set("refund", "original");
    const request = parseCancelForm(form);
    if (!request.ok) throw new Error(JSON.stringify(request.errors));

    const result = await cancelOrder(deps(), merchant(), orderId, request.value);

    expect(result).toMatchObject({ ok: true, cancelled: true });
    const draft = await sim.gateway.request<{ draftOrder: { id: string } | null }>(
      `query ChargeDraft($id: ID!) { draftOrder(id: $id) { id } }`,
      { id: charge.draftOrderId },
    );
    expect(draft.draftOrder).toBeNull();
    const after = await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } });
    expect(after.status).toBe("canceled");
    const steps = await db.step.findMany({
      where: {
        decision: { orderId, trigger: "merchant" },
        kind: { in: ["orderCancel", "draftOrderDelete"] },
      },
      orderBy: [{ decision: { createdAt: "asc" } }, { position: "asc" }],
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["orderCancel", "succeeded"],
      ["draftOrderDelete", "succeeded"],
    ]);
    // The order screen says it in the reader's language.
    const german = await translatorOf("de");
    const [view] = (await extraChargesOf(db, sim.shop, orderId)).charges;
    expect(view!.status).toBe("canceled");
    expect(german("extraCharge.status.canceled")).toBe("Mit der Bestellung storniert");
    expect(await sim.orderState(orderId)).toMatchObject({ cancelled: true, name });
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

    const paid = await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } });
    expect(paid.status).toBe("paid");
    // The charge's row says why, in the reader's language (the catalogue's words).
    const [english, german] = await Promise.all(
      (["en", "de"] as const).map((l) => translatorOf(l)),
    );
    for (const t of [english!, german!])
      expect(renderWords(t, readWords(paid.error!))).toBe(
        t("afterSalesAnswers.row.notLinked", { order: name }),
      );
    expect((await sim.orderState(orderId)).tags).not.toContain("extra-charge-paid");
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "service" },
      orderBy: { createdAt: "desc" },
    });
    expect(decision.status).toBe("needs_attention");
    expect(readWordsList(decision.explanation).map((w) => renderWords(english!, w))).toContain(
      english!("afterSalesAnswers.row.notLinked", { order: name }),
    );
  });

  it("shows Shopify's refusal of the draft order and sends nothing: the charge is not sent, the order is not held", async () => {
    const worker = await workerDeps();
    // Shopify refuses a draft order's e-mail on a domain it does not accept (the checkout took it).
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@studio.invalid",
    });
    await settle(worker);
    const result = await createExtraCharge(deps(), merchant(), orderId, {
      amount: "4.00",
      reason: "Extra shipping",
      lines: [],
    });
    expect(result).toEqual({
      ok: false,
      failed: {
        step: "draftOrderCreate",
        message: "Email contains an invalid domain name",
        draftOrder: null,
        retry: null,
      },
    });
    expect(await chargeDraftsOf(name)).toEqual([]);
    const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    expect(charge).toMatchObject({ status: "failed", draftOrderId: null });
    // The row (the order screen's card) says which Step failed in the catalogue's words, and
    // Shopify's words as Shopify said them.
    const english = await translatorOf("en");
    expect(renderWords(english, readWords(charge.error!))).toBe(
      english("afterSalesAnswers.row.failed", {
        step: english("afterSalesAnswers.step.draftOrderCreate"),
        shopify: "Email contains an invalid domain name",
      }),
    );
    const german = await translatorOf("de");
    expect(renderWords(german, readWords(charge.error!))).toContain(
      german("afterSalesAnswers.step.draftOrderCreate"),
    );
    const state = await sim.orderState(orderId);
    expect(state.tags).not.toContain("extra-charge-open");
    expect(state.fulfillmentOrders.flatMap((f) => f.holds)).toEqual([]);
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "merchant" },
      include: { steps: true },
    });
    expect(decision.status).toBe("needs_attention");
    expect(decision.steps.map((s) => [s.kind, s.status])).toEqual([["draftOrderCreate", "failed"]]);
  });

  it("finds the draft it made when the answer to creating it was lost: one draft, one invoice", async () => {
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    await loseAnswerOf("DraftOrderCreate");
    const result = await createExtraCharge(deps(), merchant(), orderId, {
      amount: "4.00",
      reason: "Extra shipping",
      lines: [],
    });
    expect(result).toMatchObject({ ok: true, linked: true });
    const drafts = await chargeDraftsOf(name);
    expect(drafts.map((d) => d.status)).toEqual(["INVOICE_SENT"]);
    const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    expect(charge).toMatchObject({ status: "invoice_sent", draftOrderId: drafts[0]!.id });
    expect(await invoiceEmailsOf(drafts[0]!.id)).toHaveLength(1);
    // The charge's decision (the rules' routing after it is a decision of its own).
    const steps = await db.step.findMany({
      where: { decision: { orderId, steps: { some: { kind: "draftOrderCreate" } } } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["draftOrderCreate", "succeeded"],
      ["draftOrderInvoiceSend", "succeeded"],
      ["tagsAdd", "succeeded"],
      ["orderUpdate", "succeeded"],
    ]);
    expect(JSON.parse(steps[0]!.outcome!)).toMatchObject({ readBack: true });
  });

  it("reads the draft back when the answer to sending its invoice was lost: the customer gets one e-mail", async () => {
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    await loseAnswerOf("DraftOrderInvoiceSend");
    const result = await createExtraCharge(deps(), merchant(), orderId, {
      amount: "4.00",
      reason: "Extra shipping",
      lines: [],
    });
    expect(result).toMatchObject({ ok: true, linked: true });
    const drafts = await chargeDraftsOf(name);
    expect(drafts.map((d) => d.status)).toEqual(["INVOICE_SENT"]);
    expect(await invoiceEmailsOf(drafts[0]!.id)).toHaveLength(1);
    expect(await db.extraCharge.findFirstOrThrow({ where: { orderId } })).toMatchObject({
      status: "invoice_sent",
    });
  });

  it("makes one draft and one invoice when the same form is sent twice, at once or again later", async () => {
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    const form = new FormData();
    form.set("amount", "4");
    form.set("reason", "Extra shipping");
    form.set("requestId", crypto.randomUUID());
    const parsed = parseExtraChargeForm(form);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const send = () =>
      createExtraCharge(deps(), merchant(), orderId, parsed.value, parsed.requestId);
    // A double click: both requests reach the server; the second waits for the first's outcome.
    const answers = await Promise.all([send(), send()]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => "repeated" in a)).toEqual([
      { ok: false, repeated: expect.objectContaining({ status: "invoice_sent" }) },
    ]);
    // Sent again after the first finished (the answer lost on the way to the browser).
    const again = await send();
    const drafts = await chargeDraftsOf(name);
    expect(drafts).toHaveLength(1);
    expect(again).toEqual({
      ok: false,
      repeated: {
        status: "invoice_sent",
        draftOrderName: expect.stringMatching(/^#D\d+$/),
        error: null,
      },
    });
    expect(await invoiceEmailsOf(drafts[0]!.id)).toHaveLength(1);
    expect(await db.extraCharge.count({ where: { orderId } })).toBe(1);
    // A form this screen did not make is refused as such.
    const stale = new FormData();
    stale.set("amount", "4");
    stale.set("reason", "Extra shipping");
    stale.set("requestId", "not-an-id");
    expect(parseExtraChargeForm(stale)).toEqual({ ok: false, errors: { requestId: true } });
  });

  it("tells the original again when the answer to tagging it paid was lost: the job runs again and the rule releases it", async () => {
    const worker = await workerDeps();
    // The paid charge's first Step reaches Shopify, but its answer is lost: the job fails.
    const { orderId, charge } = await paidWhileAnswerLost(worker, "TagsAdd");
    expect((await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).status).not.toBe(
      "paid",
    );
    // The retry carries on the same decision and routes the order.
    await untilPaid(worker, charge.id);
    const after = await sim.orderState(orderId);
    expect(after.tags).toContain("extra-charge-paid");
    expect(after.tags).not.toContain("extra-charge-open");
    expect(after.fulfillmentOrders.flatMap((f) => f.holds)).toEqual([]);
    expect(after.fulfillmentOrders.map((f) => f.status)).toEqual(["CLOSED"]);
    // One decision told the original, its Steps each applied and recorded once.
    const told = await db.decision.findUniqueOrThrow({
      where: { id: paidDecisionId(charge.id) },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    expect(told.status).toBe("applied");
    expect(told.steps.map((s) => [s.kind, s.status])).toEqual([
      ["tagsAdd", "succeeded"],
      ["tagsRemove", "succeeded"],
    ]);
    // Why, as the decision trace says it to a German admin (the catalogue's words, not English).
    const paid = await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } });
    const german = await translatorOf("de");
    expect(readWordsList(told.explanation).map((w) => renderWords(german, w))).toEqual([
      german("engine.why.chargePaidAs", {
        draft: paid.draftOrderName!,
        order: paid.paidOrderName!,
        amount: "12.50",
        currency: paid.currency,
        reason: "Size change to A3",
      }),
    ]);
    expect(
      await db.decision.count({
        where: { orderId, trigger: "service", status: { in: ["planned", "applying"] } },
      }),
    ).toBe(0);
  });

  it("counts the charge paid only once the original is routed: a lost answer while releasing it leaves the charge unpaid until the job's retry releases it", async () => {
    const worker = await workerDeps();
    // The original is tagged paid; the rule's release reaches Shopify but its answer is lost.
    const { orderId, charge } = await paidWhileAnswerLost(worker, "FulfillmentOrderReleaseHold");
    // Tagged on Shopify, but the routing did not finish: the charge is not counted paid yet.
    expect((await sim.orderState(orderId)).tags).toContain("extra-charge-paid");
    expect(
      await db.decision.findUniqueOrThrow({ where: { id: paidDecisionId(charge.id) } }),
    ).toMatchObject({ status: "applied" });
    const unpaid = await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } });
    expect(unpaid.status).not.toBe("paid");
    expect(unpaid.paidAt).toBeNull();
    // The retry carries the routing on; then, and only then, the charge is paid.
    await untilPaid(worker, charge.id);
    const after = await sim.orderState(orderId);
    expect(after.fulfillmentOrders.flatMap((f) => f.holds)).toEqual([]);
    expect(after.fulfillmentOrders.map((f) => f.status)).toEqual(["CLOSED"]);
    // The tag was added once: the retry skipped the Steps the first run had made.
    const told = await db.decision.findUniqueOrThrow({
      where: { id: paidDecisionId(charge.id) },
      include: { steps: true },
    });
    expect(told.steps.filter((s) => s.kind === "tagsAdd")).toHaveLength(1);
  });
});

describe("the shop's other drafts", () => {
  it("keeps nothing of a draft that is not an extra charge: Shopify sends its id and tags alone, and the worker drops it without a job", async () => {
    const worker = await workerDeps();
    // Staff make a draft in Shopify admin for a phone order, and the customer pays its invoice.
    const made = await sim.gateway.request<{
      draftOrderCreate: { draftOrder: { id: string } | null };
    }>(
      `mutation($input: DraftOrderInput!) { draftOrderCreate(input: $input) { draftOrder { id } } }`,
      {
        input: {
          email: "phone-order@example.com",
          note: "Called in by Grace",
          lineItems: [{ title: "Framing", originalUnitPrice: "20.00", quantity: 1 }],
        },
      },
    );
    const draftOrderId = made.draftOrderCreate.draftOrder!.id;
    await sim.control("POST", `/_sim/draft-orders/${encodeURIComponent(draftOrderId)}/pay`, {});
    await sim.webhooksDelivered();

    const stored = await db.webhookDelivery.findMany({
      where: { topic: "draft_orders/update", subjectId: draftOrderId },
    });
    expect(stored.length).toBeGreaterThan(0);
    for (const d of stored) {
      expect(Object.keys(JSON.parse(d.payload)).sort()).toEqual([
        "admin_graphql_api_id",
        "tags",
        "updated_at",
      ]);
      expect(d.payload).not.toContain("phone-order@example.com");
    }

    await settle(worker);
    expect(
      await db.webhookDelivery.count({
        where: { topic: "draft_orders/update", subjectId: draftOrderId },
      }),
    ).toBe(0);
    expect(
      await db.job.count({ where: { queue: "extra-charge", payload: { contains: draftOrderId } } }),
    ).toBe(0);
  });
});
