// Verifies a webhook delivery the way Shopify's library does (HMAC-SHA256 of the raw body with the
// app's secret, then the headers Shopify always sends) and parses its JSON body.
//
// Why not `authenticate.webhook`: per delivery it loads the shop's offline session from the database
// (and may even refresh an expiring token over the network) before answering, and its Web Crypto
// HMAC imports the key on every call; together most of the cost of a delivery (ADR 006). The
// intake needs neither the session nor an Admin client: the worker makes its own calls later.
// tests/integration/webhook-intake-verify.test.ts holds this to the library's `webhooks.validate`.
import { createHmac, timingSafeEqual } from "node:crypto";
import { WEBHOOK_HEADER_NAMES, WebhookType } from "@shopify/shopify-api";

/** A delivery whose signature and headers checked out, with its body parsed. */
export interface VerifiedDelivery {
  webhookType: "webhooks" | "events";
  webhookId: string;
  /** X-Shopify-Event-Id: shared by every delivery of one merchant action (Webhooks type only). */
  eventId?: string;
  /** The topic as Shopify sends it in the header, e.g. "orders/paid". */
  topic: string;
  shop: string;
  apiVersion: string;
  triggeredAt?: string;
  /** The body exactly as signed: JSON numbers above 2^53 (Shopify's ids) survive only here. */
  rawBody: string;
  payload: unknown;
}

export type Verification =
  { ok: true; delivery: VerifiedDelivery } | { ok: false; status: 400 | 401; message: string };

/** Reads one request header, case-insensitively (Headers.get, or a lookup over Node's headers). */
export type HeaderLookup = (name: string) => string | null | undefined;

// A signed body that is not UTF-8 cannot be JSON (RFC 8259), so it is rejected like bad JSON.
const utf8 = new TextDecoder("utf-8", { fatal: true });

const fail = (status: 400 | 401, message: string): Verification => ({ ok: false, status, message });

/**
 * Shopify's signature of a body it sends (webhooks, Flow actions): base64 HMAC-SHA256 of the raw
 * body with the app's client secret. Compared as base64 text, as the library compares it: only
 * the canonical encoding passes.
 */
export function signatureMatches(
  body: Uint8Array | string,
  signature: string,
  secret: string,
): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("base64"));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Same answers as `authenticate.webhook`: 400 for an empty body, a missing signature or a missing
 * required header, 401 for a wrong signature; plus 400 for a signed body that is not JSON (the
 * library would throw a SyntaxError there, which receive.server.ts also turns into a 400).
 */
export function verifyWebhook(
  body: Uint8Array,
  header: HeaderLookup,
  secret: string,
): Verification {
  // The library tells the two formats apart by which signature header is present.
  const type = header(WEBHOOK_HEADER_NAMES[WebhookType.Events].hmac)
    ? WebhookType.Events
    : WebhookType.Webhooks;
  const names = WEBHOOK_HEADER_NAMES[type];
  if (body.length === 0) return fail(400, "The webhook has no body");
  const signature = header(names.hmac);
  if (!signature) return fail(400, "The webhook has no HMAC signature");
  if (!signatureMatches(body, signature, secret)) {
    return fail(401, "The webhook signature does not match");
  }

  const topic = header(names.topic);
  const shop = header(names.domain);
  const apiVersion = header(names.apiVersion);
  const webhookId = header(names.webhookId);
  if (!topic || !shop || !apiVersion || !webhookId) {
    const missing = [names.topic, names.domain, names.apiVersion, names.webhookId].filter(
      (name) => !header(name),
    );
    return fail(400, `The webhook is missing headers: ${missing.join(", ")}`);
  }

  let rawBody: string;
  let payload: unknown;
  try {
    rawBody = utf8.decode(body);
    payload = JSON.parse(rawBody);
  } catch {
    return fail(400, "The webhook body is not valid JSON");
  }
  const eventId =
    type === WebhookType.Webhooks
      ? header(WEBHOOK_HEADER_NAMES[WebhookType.Webhooks].eventId)
      : undefined;
  const triggeredAt = header(names.triggeredAt);
  return {
    ok: true,
    delivery: {
      webhookType: type,
      webhookId,
      ...(eventId ? { eventId } : {}),
      topic,
      shop,
      apiVersion,
      ...(triggeredAt ? { triggeredAt } : {}),
      rawBody,
      payload,
    },
  };
}
