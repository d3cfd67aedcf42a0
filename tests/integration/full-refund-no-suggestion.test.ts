// The "Cancel items" dialog's amount for a refund in full when Shopify works out no refund
// (Order.suggestedRefund null, the order found): the preview route says so in the dialog's own words,
// not "no such order" (404), so the dialog does not say "Shopify didn't say".
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { callRoute as call, signedRequest } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";
import { emptyTables } from "../support/integration";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const fullRefundRoute = await import("~/routes/app.orders.$id.full-refund");
const { translatorOf } = await import("~/i18n/i18next.server");

afterAll(async () => {
  await sim.stop();
});

beforeEach(async () => {
  await emptyTables(db);
  await sim.reset();
  await db.shop.create({ data: { shop: sim.shop } });
});

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
