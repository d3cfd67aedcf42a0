// Verifies a webhook delivery with Shopify's library and turns a malformed body into a 400.
import type { z } from "zod";
import { authenticate } from "../shopify.server";
import { MAX_WEBHOOK_BODY_BYTES, readBodyWithin } from "./body.server";

/**
 * What a verified delivery says. Not the library's admin client or session: Shopify is called
 * through the gateways, with their budgets (ADR 090's lint check refuses the client elsewhere).
 */
type WebhookContext = Pick<
  Awaited<ReturnType<typeof authenticate.webhook>>,
  "topic" | "shop" | "payload"
>;

/**
 * A body over the limit is answered 413 before it is read in full. A bad signature is answered 401 and a missing header 400 by the library itself; a body that is
 * signed but not JSON would surface as a 500 from its JSON.parse, so it is answered 400 here.
 */
export async function receiveWebhook(request: Request): Promise<WebhookContext> {
  const body = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body) {
    throw new Response(`The webhook body is over ${MAX_WEBHOOK_BODY_BYTES} bytes`, {
      status: 413,
    });
  }
  try {
    const { topic, shop, payload } = await authenticate.webhook(
      new Request(request.url, { method: request.method, headers: request.headers, body }),
    );
    return { topic, shop, payload };
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new Response("The webhook body is not valid JSON", { status: 400 });
    }
    throw error;
  }
}

/** Parses a verified payload; a payload missing what the topic promises is answered 400. */
export function parsePayload<S extends z.ZodTypeAny>(
  schema: S,
  payload: unknown,
  topic: string,
): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const where = result.error.issues.map((i) => i.path.join(".") || "(body)").join(", ");
    throw new Response(`The ${topic} payload is missing or has wrong fields: ${where}`, {
      status: 400,
    });
  }
  return result.data;
}
