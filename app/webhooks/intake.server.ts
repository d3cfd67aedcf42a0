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
import { logEvent } from "../utils/log.server";
import { isInstalled } from "./installed.server";
import { MAX_WEBHOOK_BODY_BYTES, readBodyWithin } from "./body.server";
import { verifyWebhook } from "./verify.server";
import { deliveriesStored } from "../jobs/inbox-signal";

let inbox: GroupCommit<InboundDelivery, DeliveryOutcome> | undefined;

/** The process's one inbox writer: concurrent deliveries share a statement and its commit. */
export function inboxWriter(): GroupCommit<InboundDelivery, DeliveryOutcome> {
  inbox ??= createGroupCommit(
    async (batch) => {
      const outcomes = await storeDeliveries(db, batch);
      if (outcomes.includes("stored")) deliveriesStored();
      return outcomes;
    },
    {
      maxBatch: MAX_DELIVERIES_PER_STATEMENT,
    },
  );
  return inbox;
}

/** What intake refused or dropped since the process started, for logs and the fault run. */
export const intakeCounters = { tooLarge: 0, topicMismatch: 0, notInstalled: 0 };

// Shopify sends JSON only, from a shop's permanent myshopify.com domain, naming a dated version.
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const API_VERSION = /^(\d{4}-\d{2}|unstable)$/;

/** The topic a webhook route receives, from its path: /webhooks/orders/paid → orders/paid. */
export function routeTopic(request: Request): string | null {
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  const match = /^\/webhooks\/(.+)$/i.exec(path);
  return match ? match[1]!.toLowerCase() : null;
}

export async function intakeWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  if (!JSON_TYPE.test(request.headers.get("Content-Type") ?? "")) {
    return new Response("A webhook body must be application/json", { status: 415 });
  }
  const body = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body) {
    intakeCounters.tooLarge++;
    return new Response(`The webhook body is over ${MAX_WEBHOOK_BODY_BYTES} bytes`, {
      status: 413,
    });
  }
  const verified = verifyWebhook(
    body,
    (name) => request.headers.get(name),
    env().SHOPIFY_API_SECRET,
  );
  if (!verified.ok) return new Response(verified.message, { status: verified.status });
  const { delivery } = verified;
  // The signature covers the body only: headers that cannot be Shopify's are refused.
  if (!SHOP_DOMAIN.test(delivery.shop) || !API_VERSION.test(delivery.apiVersion)) {
    return new Response("The X-Shopify-Shop-Domain or X-Shopify-API-Version header is malformed", {
      status: 400,
    });
  }
  // Signed by Shopify but sent to the wrong endpoint: a misconfigured subscription (or a replay
  // aimed elsewhere) would otherwise be handled as the route's topic.
  const expected = routeTopic(request);
  if (expected && delivery.topic.toLowerCase() !== expected) {
    intakeCounters.topicMismatch++;
    return new Response(
      `The X-Shopify-Topic header (${delivery.topic}) does not match this endpoint (${expected})`,
      { status: 400 },
    );
  }
  // A shop that uninstalled (or never installed) the app: nothing is kept about it, and the 200
  // stops Shopify's retries. Deliveries already in flight at uninstall end up here.
  if (!(await isInstalled(db, delivery.shop))) {
    intakeCounters.notInstalled++;
    logEvent("warn", "webhook.not_installed", {
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
    });
    return new Response(null, { status: 200 });
  }
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
