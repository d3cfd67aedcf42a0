// The "Cancel items" dialog's amount for a refund in full when Shopify works out no refund
// (Order.suggestedRefund null, the order found): the preview route says so in the dialog's own words,
// not "no such order" (404), so the dialog does not say "Shopify didn't say".
import { describe, expect, it } from "vitest";
import { callRoute as call, signedRequest } from "../support/route-call";
import { withRouteSuite } from "../support/route-suite";

const { sim } = await withRouteSuite();
const fullRefundRoute = await import("~/routes/app.orders.$id.full-refund");
const { translatorOf } = await import("~/i18n/i18next.server");

describe("the amount of a refund in full Shopify could not work out", () => {
  it("is answered as no suggestion, in the dialog's words, not as no such order", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
    });
    const number = orderId.split("/").pop()!;
    const lineItemId = (await sim.orderState(orderId)).fulfillmentOrders[0]!.lineItems[0]!
      .lineItemId;
    // Shopify answers the order found and `suggestedRefund: null` (the field is nullable).
    await sim.control("POST", "/_sim/readings", { suggestedRefund: "none" });

    const response = await call(
      fullRefundRoute.loader,
      await signedRequest(
        sim,
        `/app/orders/${number}/full-refund?${encodeURIComponent(`line:${lineItemId}`)}=1`,
      ),
      { id: number },
    );

    expect(response.status).toBe(200);
    const english = await translatorOf("en");
    // The route's data() as the test helper writes it: the answer under `data`.
    expect(((await response.json()) as { data: unknown }).data).toEqual({
      preview: null,
      noSuggestedRefund: true,
      error: english("afterPayment.cancelLines.fullAmountNoSuggestion"),
    });
    // Said before the merchant confirms: not the refusal's "so nothing was canceled".
    expect(english("afterPayment.cancelLines.fullAmountNoSuggestion")).toBe(
      "Shopify couldn't work out the refund for these items. Try again, or choose “A set amount” and enter what to refund.",
    );
  });
});
