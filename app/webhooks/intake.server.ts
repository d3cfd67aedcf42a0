// One handler for every topic that only needs storing: verify, store durably in the inbox, answer
// 200. The Remix routes call it, and the production server (server/) calls the same route actions
// without Remix's request pipeline, so both give the same answers and store the same rows.
import db from "../db.server";
import { env } from "../utils/env.server";
import { createGroupCommit, type GroupCommit } from "./group-commit";
import {
  MAX_DELIVERIES_PER_STATEMENT,
  storeDeliveries,
  type DeliveryOutcome,
  type InboundDelivery,
} from "./inbox.server";
import { verifyWebhook } from "./verify.server";

let inbox: GroupCommit<InboundDelivery, DeliveryOutcome> | undefined;

/** The process's one inbox writer: concurrent deliveries share a statement and its commit. */
export function inboxWriter(): GroupCommit<InboundDelivery, DeliveryOutcome> {
  inbox ??= createGroupCommit((batch) => storeDeliveries(db, batch), {
    maxBatch: MAX_DELIVERIES_PER_STATEMENT,
  });
  return inbox;
}

export async function intakeWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const body = new Uint8Array(await request.arrayBuffer());
  const verified = verifyWebhook(
    body,
    (name) => request.headers.get(name),
    env().SHOPIFY_API_SECRET,
  );
  if (!verified.ok) return new Response(verified.message, { status: verified.status });
  const { delivery } = verified;
  // A duplicate is acknowledged too: its first copy is stored, and Shopify must stop retrying.
  // Resolves only after the statement holding this row has committed.
  await inboxWriter().submit({
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    topic: delivery.topic,
    shop: delivery.shop,
    apiVersion: delivery.apiVersion,
    triggeredAt: delivery.triggeredAt,
    payload: delivery.payload,
    rawPayload: delivery.rawBody,
  });
  return new Response(null, { status: 200 });
}
