// The "Cancel items" dialog's amount for a refund in full when Shopify works out no refund
// (Order.suggestedRefund null, the order found): the preview route says so in the words a refund in
// full is then refused with, not "no such order" (404), so the dialog does not say "Shopify didn't say".
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { callRoute as call, signedRequest } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";
import { emptyTables } from "../support/integration";
import type { AdminGateway } from "~/shopify/gateway.server";
import type * as Gateways from "~/gateways.server";
import { ORDER_SUGGESTED_REFUND_QUERY } from "~/shopify/operations";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

/**
 * The shop's own gateway, except that the suggested refund comes back null in the shape Shopify
 * answers it (the order found, `suggestedRefund: null`): the simulator has no switch for this.
 */
vi.mock("~/gateways.server", async (importOriginal) => {
  const real = await importOriginal<typeof Gateways>();
  return {
    ...real,
    async gatewayForShop(shop: string): Promise<AdminGateway> {
      const gateway = await real.gatewayForShop(shop);
      return {
        ...gateway,
        shop: gateway.shop,
        async request<TData, TVariables extends Record<string, unknown>>(
          document: string,
          variables?: TVariables,
        ): Promise<TData> {
          const answer = await gateway.request<TData, TVariables>(document, variables);
          if (document !== ORDER_SUGGESTED_REFUND_QUERY) return answer;
          const { order } = answer as { order: Record<string, unknown> | null };
          return { order: order && { ...order, suggestedRefund: null } } as TData;
        },
      };
    },
  };
});

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
  it("is answered as no suggestion, in the words of the refusal, not as no such order", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: [{ title: "VAT", rate: 0.19 }],
    });
    const number = orderId.split("/").pop()!;
    const lineItemId = (await sim.orderState(orderId)).fulfillmentOrders[0]!.lineItems[0]!
      .lineItemId;

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
      error: english("afterPayment.cancelLines.refusals.noSuggestedRefund"),
    });
  });
});
