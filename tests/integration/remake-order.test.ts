// Remaking lines of an order against the shop simulator, the whole way Shopify takes it: the app
// creates and completes a draft order, Shopify's signed webhooks for the new order reach the
// inbox, the worker routes it by the rules like any order, and both orders name each other;
// Shopify's refusal of the draft is kept on the remake's row in the catalogue's words.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { merchantDid } from "~/routing/words";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import { parseRemakeForm, readRemakeSource, remakeOrder } from "~/fulfilment/remake.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { operationName } from "~/shopify/gateway.server";
import { ShopifyApiError } from "~/shopify/errors";
import { translatorOf } from "~/i18n/i18next.server";
import { readWords, readWordsList, renderWords } from "~/i18n/words";
import { withWorkerSuite } from "../support/worker-suite";

const {
  sim,
  deps: workerDeps,
  settle,
} = withWorkerSuite({
  simulator: { reset: false },
  rules: [
    {
      id: "rule-review-prints",
      name: "Prints wait for a look at the crop",
      conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
      actions: [{ type: "hold_for_review" }],
    },
  ],
});

const merchant = () => ({ shop: sim.shop, actor: "Lena" });
const deps = () => ({ db, gateway: sim.gateway, now: () => new Date() });

/** Staff cancel the order in Shopify admin (orderCancel, as admin does it). */
async function cancelInAdmin(orderId: string) {
  const data = await sim.gateway.request<{
    orderCancel: { job: { id: string }; orderCancelUserErrors: { message: string }[] };
  }>(
    `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { job { id } orderCancelUserErrors { message } } }`,
    { id: orderId },
  );
  expect(data.orderCancel.orderCancelUserErrors).toEqual([]);
  // Shopify cancels in a job: staff see the order canceled once it is done, not when the
  // mutation answers (reading the job runs it in the simulator).
  const job = await sim.gateway.request<{ job: { done: boolean } }>(
    `query CancelInAdminJob($id: ID!) { job(id: $id) { done } }`,
    { id: data.orderCancel.job.id },
  );
  expect(job.job.done).toBe(true);
}

/**
 * The app's gateway on the simulator, where `operation` reaches Shopify and is made but its
 * answer never comes back (a timeout after the change), once; and `after` runs once it went by.
 */
function gatewayWhere(
  operation: string,
  effect: { loseAnswer?: boolean; after?: () => Promise<void> },
): AdminGateway {
  let done = false;
  return {
    shop: sim.gateway.shop,
    async request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
      const answer = await sim.gateway.request<T, V>(document, variables);
      if (done || operationName(document) !== operation) return answer;
      done = true;
      await effect.after?.();
      if (effect.loseAnswer)
        throw new ShopifyApiError("timeout", `${operation}: no answer within 15000 ms`);
      return answer;
    },
  };
}

/** The remake drafts of one original (the simulator keeps earlier tests' drafts). */
async function remakeDraftsOf(originalName: string) {
  const data = await sim.gateway.request<{
    draftOrders: { nodes: { id: string; status: string; note2: string | null }[] };
  }>(`query { draftOrders(first: 100, query: "tag:remake") { nodes { id status note2 } } }`);
  return data.draftOrders.nodes.filter((d) => d.note2?.startsWith(`Remake of ${originalName}:`));
}

/** The replacement orders of one original. */
async function remakeOrdersOf(originalName: string) {
  const data = await sim.gateway.request<{
    orders: { nodes: { id: string; note: string | null }[] };
  }>(`query { orders(first: 100, query: "tag:remake") { nodes { id note } } }`);
  return data.orders.nodes.filter((o) => o.note?.startsWith(`Remake of ${originalName}:`));
}

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
    // Why, as the decision trace says it to a German admin (the catalogue's words, not English).
    const german = await translatorOf("de");
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "merchant" },
    });
    expect(readWordsList(decision.explanation).map((w) => renderWords(german, w))).toEqual([
      renderWords(german, merchantDid("remakeAsked", "Lena", { reason: "Wrong crop" })),
    ]);
  });

  it("makes a remake at no charge only: a price is refused before anything reaches Shopify, never marked paid with nobody charged", async () => {
    const worker = await workerDeps();
    const { orderId, print } = await paidPrintOrder(worker);
    // What a page from before this change (or a hand-made request) posts: a price per item.
    const form = parseRemakeForm(
      remakeForm({
        reason: "Damaged in transit",
        charge: "set",
        unitPrice: "7.5",
        [`line:${print.id}`]: "2",
      }),
    );
    expect(form).toEqual({ ok: false, errors: { charge: true } });
    const priced = await remakeOrder(deps(), merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 2 }],
      reason: "Damaged in transit",
      unitPrice: "7.50",
    });
    expect(priced).toEqual({ ok: false, refusal: { code: "charged" } });
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(0);
    expect(await db.remake.count()).toBe(0);
    // The form without a charge field makes it at no charge.
    const free = parseRemakeForm(
      remakeForm({ reason: "Damaged in transit", [`line:${print.id}`]: "1" }),
    );
    expect(free).toMatchObject({ ok: true, value: { unitPrice: "0.00" } });
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
    expect(parseRemakeForm(remakeForm({ reason: "Paper jam", charge: "none" }))).toEqual({
      ok: false,
      errors: { lines: true },
    });
    // Every change to Shopify is a Step of a decision: none was made.
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(0);
    expect(await db.remake.count()).toBe(0);
  });

  it("refuses to remake a canceled order with a clear reason, creating nothing", async () => {
    const worker = await workerDeps();
    const { orderId, name, print } = await paidPrintOrder(worker);
    await cancelInAdmin(orderId);
    const refused = await remakeOrder(deps(), merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Print fault",
      unitPrice: "0.00",
    });
    expect(refused).toEqual({ ok: false, refusal: { code: "cancelled" } });
    expect(await remakeDraftsOf(name)).toEqual([]);
    expect(await db.remake.count()).toBe(0);
  });

  it("shows Shopify's refusal of the replacement's draft order and places nothing: the remake's row says which Step and Shopify's words", async () => {
    const worker = await workerDeps();
    // The checkout took an e-mail on a domain Shopify does not accept for a draft order.
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@studio.invalid",
    });
    await settle(worker);
    const print = (await readRemakeSource(sim.gateway, orderId))!.lineItems[0]!;
    const refused = await remakeOrder(deps(), merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Print fault",
      unitPrice: "0.00",
    });
    expect(refused).toEqual({
      ok: false,
      failed: {
        step: "draftOrderCreate",
        message: "Email contains an invalid domain name",
        draftOrder: null,
      },
    });
    // Nothing on Shopify: no draft, no replacement, the original neither tagged nor noted.
    expect(await remakeDraftsOf(name)).toEqual([]);
    expect(await remakeOrdersOf(name)).toEqual([]);
    const original = await sim.orderState(orderId);
    expect(original.tags).not.toContain("remade");
    expect(original.note ?? "").not.toContain("Remade as");
    // The row on the order screen: not placed, the Step in the catalogue's words, Shopify's own.
    const link = await db.remake.findFirstOrThrow({ where: { orderId } });
    expect(link).toMatchObject({ status: "failed", replacementOrderId: null, draftOrderId: null });
    const english = await translatorOf("en");
    expect(renderWords(english, readWords(link.error!))).toBe(
      english("afterSalesAnswers.row.failed", {
        step: english("afterSalesAnswers.step.draftOrderCreate"),
        shopify: "Email contains an invalid domain name",
      }),
    );
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "merchant" },
      include: { steps: true },
    });
    expect(decision.status).toBe("needs_attention");
    expect(decision.steps.map((s) => [s.kind, s.status])).toEqual([["draftOrderCreate", "failed"]]);
  });

  it("leaves an original canceled while the remake was made untagged and unnoted, and says so", async () => {
    const worker = await workerDeps();
    const { orderId, name, print } = await paidPrintOrder(worker);
    const gateway = gatewayWhere("DraftOrderComplete", { after: () => cancelInAdmin(orderId) });
    const result = await remakeOrder({ db, gateway, now: () => new Date() }, merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Print fault",
      unitPrice: "0.00",
    });
    expect(result).toMatchObject({ ok: true, linked: false });
    const original = await sim.orderState(orderId);
    expect(original.tags).not.toContain("remade");
    expect(original.note ?? "").not.toContain("Remade as");
    const link = await db.remake.findFirstOrThrow({ where: { orderId } });
    expect(link.status).toBe("completed");
    // The link's row and the decision say why, in the reader's language (the catalogue's words).
    for (const locale of ["en", "de"] as const) {
      const t = await translatorOf(locale);
      expect(renderWords(t, readWords(link.error!))).toBe(
        t("afterSalesAnswers.row.notLinked", { order: name }),
      );
    }
    const decision = await db.decision.findFirstOrThrow({
      where: { orderId, trigger: "merchant" },
    });
    expect(decision.status).toBe("needs_attention");
    const english = await translatorOf("en");
    expect(readWordsList(decision.explanation).map((w) => renderWords(english, w))).toContain(
      english("afterSalesAnswers.row.notLinked", { order: name }),
    );
  });

  it("reads the draft back when the answer to completing it was lost, placing one replacement", async () => {
    const worker = await workerDeps();
    const { orderId, name, print } = await paidPrintOrder(worker);
    const gateway = gatewayWhere("DraftOrderComplete", { loseAnswer: true });
    const result = await remakeOrder({ db, gateway, now: () => new Date() }, merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Lab error",
      unitPrice: "0.00",
    });
    expect(result).toMatchObject({ ok: true, linked: true });
    if (!result.ok) return;
    expect((await remakeOrdersOf(name)).map((o) => o.id)).toEqual([result.replacement.orderId]);
    expect((await sim.orderState(orderId)).note).toContain(
      `Remade as ${result.replacement.name}: Lab error`,
    );
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

  it("finds the draft it made when the answer to creating it was lost, leaving no second draft", async () => {
    const worker = await workerDeps();
    const { orderId, name, print } = await paidPrintOrder(worker);
    const gateway = gatewayWhere("DraftOrderCreate", { loseAnswer: true });
    const result = await remakeOrder({ db, gateway, now: () => new Date() }, merchant(), orderId, {
      lines: [{ lineItemId: print.id, quantity: 1 }],
      reason: "Lab error",
      unitPrice: "0.00",
    });
    expect(result).toMatchObject({ ok: true, linked: true });
    if (!result.ok) return;
    const drafts = await remakeDraftsOf(name);
    expect(drafts.map((d) => d.status)).toEqual(["COMPLETED"]);
    const link = await db.remake.findFirstOrThrow({ where: { orderId } });
    expect(link).toMatchObject({
      draftOrderId: drafts[0]!.id,
      replacementOrderId: result.replacement.orderId,
    });
    expect((await remakeOrdersOf(name)).map((o) => o.id)).toEqual([result.replacement.orderId]);
  });
});
