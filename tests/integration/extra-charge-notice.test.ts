// An extra charge whose order was canceled while it was sent (ADR 104): the toast confirms the
// invoice in a few words, and what the merchant must do about the draft is a banner's.
import { describe, expect, it } from "vitest";
import { translatorOf } from "~/i18n/i18next.server";
import { operationName, type AdminGateway } from "~/shopify/gateway.server";
import { answerExtraCharge } from "~/services/extra-charge.server";
import { withCancelShop } from "../support/cancel-forms";

const { sim, deps, merchant } = withCancelShop();

/** Staff cancel the order in admin; Shopify's job is done once read (the simulator runs it then). */
async function cancelInAdmin(orderId: string) {
  const data = await sim.gateway.request<{ orderCancel: { job: { id: string } } }>(
    `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false) { job { id } orderCancelUserErrors { message } } }`,
    { id: orderId },
  );
  await sim.gateway.request(`query Job($id: ID!) { job(id: $id) { done } }`, {
    id: data.orderCancel.job.id,
  });
}

/** Shopify through the simulator; staff cancel the order just after the invoice went out. */
function canceledAfterInvoice(orderId: string): AdminGateway {
  let done = false;
  return {
    shop: sim.shop,
    async request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
      const answer = await sim.gateway.request<T, V>(document, variables);
      if (!done && operationName(document) === "DraftOrderInvoiceSend") {
        done = true;
        await cancelInAdmin(orderId);
      }
      return answer;
    },
  };
}

describe("an extra charge whose order was canceled meanwhile", () => {
  for (const locale of ["en", "de"] as const) {
    it(`confirms the invoice in the toast and asks about the draft in a warning banner (${locale})`, async () => {
      const words = await translatorOf(locale);
      const { orderId, name } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "paid",
        email: "ann@example.com",
      });
      const form = new FormData();
      for (const [field, value] of Object.entries({
        intent: "extraCharge",
        amount: "4",
        reason: "Extra shipping",
      }))
        form.set(field, value);

      const { answer } = await answerExtraCharge(
        deps(canceledAfterInvoice(orderId)),
        words,
        merchant(),
        orderId,
        form,
        locale,
      );

      expect((await sim.orderState(orderId)).cancelled).toBe(true);
      const draft = /#D\d+/.exec(answer.message)?.[0];
      const said = { draft, email: "ann@example.com", order: name };
      expect(answer).toEqual({
        intent: "extraCharge",
        ok: true,
        // The toast: a short confirmation without a full stop, no instruction in it.
        message: words("extraCharge.done", said),
        notice: {
          tone: "warning",
          title: words("extraCharge.notLinked.title", said),
          text: words("extraCharge.notLinked.text", said),
        },
      });
      if (locale === "en") {
        expect(answer.message).toBe(`Invoice ${draft} sent to ann@example.com`);
        expect(answer.notice?.text).toContain(`delete ${draft} in Shopify admin`);
      }
    });
  }
});
