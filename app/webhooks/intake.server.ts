// One handler for every topic that only needs storing: verify, store in the inbox, answer 200.
import db from "../db.server";
import { receiveWebhook } from "./receive.server";
import { recordDelivery } from "./inbox.server";

export async function intakeWebhook(request: Request): Promise<Response> {
  // Shopify's library reports topics as ORDERS_PAID; keep Shopify's wire form, orders/paid.
  const wireTopic = request.headers.get("X-Shopify-Topic");
  const hook = await receiveWebhook(request);
  await recordDelivery(db, {
    webhookId: hook.webhookId,
    eventId: "eventId" in hook ? hook.eventId : undefined,
    topic: wireTopic ?? hook.topic,
    shop: hook.shop,
    apiVersion: hook.apiVersion,
    triggeredAt: hook.triggeredAt,
    payload: hook.payload,
  });
  return new Response(null, { status: 200 });
}
