// One handler for every topic that only needs storing: verify, store in the inbox, answer 200.
import db from "../db.server";
import { receiveWebhook } from "./receive.server";
import { recordDelivery } from "./inbox.server";

export async function intakeWebhook(request: Request): Promise<Response> {
  const hook = await receiveWebhook(request);
  await recordDelivery(db, {
    webhookId: hook.webhookId,
    eventId: "eventId" in hook ? hook.eventId : undefined,
    topic: hook.topic,
    shop: hook.shop,
    apiVersion: hook.apiVersion,
    triggeredAt: hook.triggeredAt,
    payload: hook.payload,
  });
  return new Response(null, { status: 200 });
}
