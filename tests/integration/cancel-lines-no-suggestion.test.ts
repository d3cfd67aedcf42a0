// "Cancel items" refunded in full when Shopify answers no suggested refund (Order.suggestedRefund is nullable): refused with its own advice, nothing changed.
import { describe, expect, it } from "vitest";
import { cancelLines } from "~/fulfilment/cancel-lines.server";
import { translatorOf } from "~/i18n/i18next.server";
import { cancelLinesForm, withCancelShop } from "../support/cancel-forms";

const { sim, deps, merchant } = withCancelShop();

function cancelOneInFull(orderId: string, lineItemId: string) {
  const form = cancelLinesForm({
    [`line:${lineItemId}`]: "1",
    reason: "CUSTOMER",
    refund: "original",
    amountMode: "full",
  });
  return cancelLines(deps(), merchant(), orderId, form);
}

describe("a refund in full Shopify could not work out", () => {
  it("is refused as such, not as nothing paid left, tells the merchant to try again or set an amount, and changes nothing", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
    });
    const before = await sim.orderState(orderId);
    // Shopify answers the order found and `suggestedRefund: null` (the field is nullable).
    await sim.control("POST", "/_sim/readings", { suggestedRefund: "none" });

    const result = await cancelOneInFull(orderId, before.lineItems[0]!.id);

    expect(result).toEqual({ ok: false, refusal: { code: "noSuggestedRefund" } });
    const english = await translatorOf("en");
    expect(english("afterPayment.cancelLines.refusals.noSuggestedRefund")).toBe(
      'Shopify couldn\'t work out the refund for these items, so nothing was canceled. Try again, or choose "A set amount" and enter what to refund.',
    );
    const after = await sim.orderState(orderId);
    expect(after.transactions.filter((t) => t.kind === "REFUND")).toEqual([]);
    expect(after.lineItems[0]!.currentQuantity).toBe(before.lineItems[0]!.currentQuantity);
  });
});
