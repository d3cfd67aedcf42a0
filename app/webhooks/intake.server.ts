// One handler for every topic that only needs storing: verify, store durably in the inbox, answer
// 200. The Remix routes call it with their Request, and the production server (server/) calls the
// same function from Node's request, without Remix's pipeline or a Fetch Request, so both give the
// same answers and store the same rows.
import type { ActionFunctionArgs } from "@remix-run/node";
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
import { verifyWebhook, type HeaderLookup } from "./verify.server";
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
export function routeTopic(pathname: string): string | null {
  const path = pathname.replace(/\/+$/, "");
  const match = /^\/webhooks\/(.+)$/i.exec(path);
  return match ? match[1]!.toLowerCase() : null;
}

/** A webhook request as intake reads it, whichever server took it (Remix's Request, or Node's). */
export interface IntakeRequest {
  method: string;
  /** The URL's path, e.g. /webhooks/orders/paid. */
  pathname: string;
  header: HeaderLookup;
  /** The body, or null when it is (or announces to be) longer than `limit` bytes. */
  body(limit: number): Promise<Uint8Array | null>;
}

/** Intake's answer: a status and, for a refusal, why (plain text). */
export interface IntakeAnswer {
  status: number;
  message?: string;
}

const answer = (status: number, message?: string): IntakeAnswer =>
  message === undefined ? { status } : { status, message };
const OK: IntakeAnswer = { status: 200 };

/**
 * Verifies, guards and stores one delivery. Resolves only after the delivery is durably stored
 * (or refused); throws when the write failed, which the caller answers 500 so Shopify retries.
 */
export async function takeDelivery(request: IntakeRequest): Promise<IntakeAnswer> {
  if (request.method !== "POST") return answer(405);
  if (!JSON_TYPE.test(request.header("Content-Type") ?? "")) {
    return answer(415, "A webhook body must be application/json");
  }
  const body = await request.body(MAX_WEBHOOK_BODY_BYTES);
  if (!body) {
    intakeCounters.tooLarge++;
    return answer(413, `The webhook body is over ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  }
  const verified = verifyWebhook(body, request.header, env().SHOPIFY_API_SECRET);
  if (!verified.ok) return answer(verified.status, verified.message);
  const { delivery } = verified;
  // The signature covers the body only: headers that cannot be Shopify's are refused.
  if (!SHOP_DOMAIN.test(delivery.shop) || !API_VERSION.test(delivery.apiVersion)) {
    return answer(400, "The X-Shopify-Shop-Domain or X-Shopify-API-Version header is malformed");
  }
  // Signed by Shopify but sent to the wrong endpoint: a misconfigured subscription (or a replay
  // aimed elsewhere) would otherwise be handled as the route's topic.
  const expected = routeTopic(request.pathname);
  if (expected && delivery.topic.toLowerCase() !== expected) {
    intakeCounters.topicMismatch++;
    return answer(
      400,
      `The X-Shopify-Topic header (${delivery.topic}) does not match this endpoint (${expected})`,
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
    return OK;
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
  return OK;
}

/** The Remix action of every intake route: the same intake, from a Fetch Request. */
export async function intakeWebhook(request: Request): Promise<Response> {
  const { status, message } = await takeDelivery({
    method: request.method,
    pathname: new URL(request.url).pathname,
    header: (name) => request.headers.get(name),
    body: (limit) => readBodyWithin(request, limit),
  });
  return new Response(message ?? null, { status });
}

/**
 * The action of every intake route. It carries `takeDelivery` for the production server, which
 * calls that from Node's request (server/webhooks.ts): a route may export nothing else that reaches
 * server code, since Remix strips only loader, action and headers from the browser's copy.
 */
export const intakeAction = Object.assign(
  ({ request }: ActionFunctionArgs) => intakeWebhook(request),
  { intake: takeDelivery },
);
