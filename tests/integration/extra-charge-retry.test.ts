// "Try again" on an extra charge whose answers were lost twice (ADR 104): the form's second request
// to Shopify made the draft or sent its invoice and its answer was lost too, so the charge stopped;
// Try again reads Shopify back and carries the same charge on: one draft, one invoice e-mail.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { translatorOf } from "~/i18n/i18next.server";
import { operationName, type AdminGateway } from "~/shopify/gateway.server";
import { answerExtraCharge } from "~/services/extra-charge.server";
import { withCancelShop } from "../support/cancel-forms";

const { sim, db, deps, merchant } = withCancelShop();

const setFaults = (faults: Record<string, unknown>) =>
  sim.control("POST", "/_sim/faults", { timeoutMs: 50, ...faults });

/**
 * Shopify through the simulator, with `operation` lost twice: the first call times out before
 * Shopify runs it (nothing made), the app reads Shopify back and finds nothing, and the second call
 * is made on Shopify but its answer is lost as well.
 */
function lostTwice(operation: string): AdminGateway {
  let calls = 0;
  return {
    shop: sim.shop,
    async request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
      const name = operationName(document);
      if (name === operation && ++calls === 1) await setFaults({ timeoutRate: 1 });
      else if (name === operation)
        await setFaults({ timeoutRate: 0, appliedThenTimeoutOf: { [operation]: 1 } });
      // The read-back between the two is answered.
      else await setFaults({ timeoutRate: 0 });
      return sim.gateway.request<T, V>(document, variables);
    },
  };
}

/** The charge drafts of one original. */
async function chargeDraftsOf(originalName: string) {
  const data = await sim.gateway.request<{
    draftOrders: { nodes: { id: string; status: string; note2: string | null }[] };
  }>(`query { draftOrders(first: 100, query: "tag:extra-charge") { nodes { id status note2 } } }`);
  return data.draftOrders.nodes.filter((d) =>
    d.note2?.startsWith(`Extra charge for ${originalName}:`),
  );
}

async function invoiceEmailsOf(draftOrderId: string) {
  const draft = await sim.control<{ invoiceEmails: { to: string }[] }>(
    "GET",
    `/_sim/draft-orders/${encodeURIComponent(draftOrderId)}`,
  );
  return draft.invoiceEmails;
}

/** The order screen's "Send invoice", posted as the card posts it, answered as the route answers. */
async function send(gateway: AdminGateway, orderId: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return answerExtraCharge(deps(gateway), await translatorOf("en"), merchant(), orderId, form);
}

describe("an extra charge's Try again after Shopify's answer was lost twice", () => {
  for (const operation of ["DraftOrderCreate", "DraftOrderInvoiceSend"] as const) {
    it(`${operation === "DraftOrderCreate" ? "the draft" : "the invoice"}: says the charge may have been made, and Try again makes one draft and sends one invoice`, async () => {
      const words = await translatorOf("en");
      const { orderId, name } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "paid",
        email: "ann@example.com",
      });
      const form = {
        intent: "extraCharge",
        amount: "4.00",
        reason: "Extra shipping",
        message: "Sent by courier",
        requestId: randomUUID(),
      };

      const lost = await send(lostTwice(operation), orderId, form);

      // GIVEN Shopify made it the second time and the app heard nothing
      expect(lost).toEqual({
        status: 200,
        answer: {
          intent: "extraCharge",
          ok: false,
          title: words("extraCharge.lost.title"),
          message: words("extraCharge.lost.text"),
          retry: { retryOf: expect.any(String) },
        },
      });
      const made = await chargeDraftsOf(name);
      expect(made).toHaveLength(1);
      if (operation === "DraftOrderInvoiceSend")
        expect(await invoiceEmailsOf(made[0]!.id)).toHaveLength(1);

      // WHEN the merchant chooses Try again (the same form with the decision to resume)
      await setFaults({ timeoutRate: 0 });
      const again = await send(sim.gateway, orderId, { ...form, ...lost.answer.retry });

      // THEN the same charge is carried on: one draft, one invoice e-mail, the original linked
      const drafts = await chargeDraftsOf(name);
      expect(drafts.map((d) => d.status)).toEqual(["INVOICE_SENT"]);
      expect(await invoiceEmailsOf(drafts[0]!.id)).toHaveLength(1);
      const charges = await db.extraCharge.findMany({ where: { orderId } });
      expect(charges).toHaveLength(1);
      expect(again).toEqual({
        status: 200,
        answer: {
          intent: "extraCharge",
          ok: true,
          message: words("extraCharge.done", {
            draft: charges[0]!.draftOrderName,
            email: "ann@example.com",
          }),
        },
      });
      expect(charges[0]).toMatchObject({
        id: form.requestId,
        status: "invoice_sent",
        draftOrderId: drafts[0]!.id,
        error: null,
      });
      expect((await sim.orderState(orderId)).tags).toContain("extra-charge-open");
      // One decision holds the charge's Steps, each under its first key, the lost one read back.
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
      const readBack = steps.find((s) => s.kind === operation.replace(/^D/, "d"))!;
      expect(JSON.parse(readBack.outcome!)).toMatchObject({ readBack: true });

      // A second Try again (a double click) has nothing to resume and sends nothing.
      const twice = await send(sim.gateway, orderId, { ...form, ...lost.answer.retry });
      expect(twice.answer).toMatchObject({
        ok: false,
        message: words("extraCharge.refusals.nothingToRetry"),
      });
      expect(await chargeDraftsOf(name)).toHaveLength(1);
      expect(await invoiceEmailsOf(drafts[0]!.id)).toHaveLength(1);
    });
  }

  it("resumes no other charge's decision: Try again with another form's request id sends nothing", async () => {
    const words = await translatorOf("en");
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    const form = { intent: "extraCharge", amount: "4.00", reason: "Extra shipping" };
    const lost = await send(lostTwice("DraftOrderCreate"), orderId, {
      ...form,
      requestId: randomUUID(),
    });
    await setFaults({ timeoutRate: 0 });

    const other = await send(sim.gateway, orderId, {
      ...form,
      requestId: randomUUID(),
      ...lost.answer.retry,
    });

    expect(other.answer).toMatchObject({
      ok: false,
      message: words("extraCharge.refusals.nothingToRetry"),
    });
    expect((await chargeDraftsOf(name)).map((d) => d.status)).toEqual(["OPEN"]);
  });
});
