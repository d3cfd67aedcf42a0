// orders/paid as Shopify signs and sends it, through the app's intake, triggered when the suite
// says: for stories about webhooks that come late or out of the order Shopify sent them in.
import { expect } from "vitest";
import { intakeWebhook } from "~/webhooks/intake.server";
import { signedDelivery } from "./webhooks";

/** orders/paid for a one-line order, X-Shopify-Triggered-At `triggeredAt`; the intake takes it. */
export async function deliverPaid(shop: string, orderId: string, triggeredAt: Date): Promise<void> {
  const response = await intakeWebhook(
    signedDelivery({
      topic: "orders/paid",
      shop,
      triggeredAt: triggeredAt.toISOString(),
      body: {
        id: Number(orderId.split("/").pop()),
        admin_graphql_api_id: orderId,
        financial_status: "paid",
        line_items: [{ id: 1, quantity: 1, sku: "DIGITAL-FULL" }],
      },
    }),
  );
  expect(response.status).toBe(200);
}
