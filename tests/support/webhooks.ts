// Builds webhook deliveries as Shopify sends them: real headers and a real HMAC of the raw body.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { getHmac } from "@shopify/shopify-api/test-helpers";

export interface DeliveryOptions {
  topic: string;
  shop: string;
  body: string | object;
  secret?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  hmac?: string;
  appUrl?: string;
}

export function signedDelivery(options: DeliveryOptions): Request {
  const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET ?? "";
  const appUrl = options.appUrl ?? process.env.SHOPIFY_APP_URL ?? "http://localhost:3000";
  return new Request(`${appUrl}/webhooks/${options.topic}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": options.hmac ?? getHmac(body, secret),
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
    },
  });
}

/** Runs a route action and returns its Response, whether it was returned or thrown. */
export async function respond(
  action: (args: ActionFunctionArgs) => unknown,
  request: Request,
): Promise<Response> {
  try {
    const result = await action({ request, params: {}, context: {} });
    if (result instanceof Response) return result;
    throw new Error(`The action returned ${typeof result}, not a Response`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * A request body written as a stream, in chunks, that tells how much of it the receiver read and
 * whether it gave up on the rest; without `bytes` it never ends.
 */
export function watchedBody(bytes?: Uint8Array) {
  const chunk = 64 * 1024;
  const seen = { read: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (bytes && seen.read >= bytes.length) return controller.close();
      const next = bytes ? bytes.subarray(seen.read, seen.read + chunk) : new Uint8Array(chunk);
      seen.read += next.length;
      controller.enqueue(next);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}
