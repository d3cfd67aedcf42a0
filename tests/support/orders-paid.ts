// Paid orders for the suites: a run of them placed on the simulator (a sale, its webhooks sent as
// the simulator sends them), or orders/paid as Shopify signs and sends it, through the app's intake,
// triggered when the suite says: for stories about webhooks that come late or out of the order
// Shopify sent them in.
import { expect } from "vitest";
import { intakeWebhook } from "~/webhooks/intake.server";
import type { SimulatorHandle } from "./shop-simulator";
import { signedDelivery } from "./webhooks";

/** `count` orders of one line, one of `sku`, paid, placed one after another: their ids in order. */
export async function createPaidOrders(
  sim: SimulatorHandle,
  sku: string,
  count: number,
): Promise<string[]> {
  const orderIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku, quantity: 1 }],
      payment: "paid",
    });
    orderIds.push(orderId);
  }
  return orderIds;
}

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
