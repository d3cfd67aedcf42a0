// The HTTP side of Shopify Flow's trigger lifecycle callback: Flow signs it with the app's client
// secret (X-Shopify-Hmac-Sha256, the webhook signature); a missing or bad signature records
// nothing and answers 401, a body about no trigger of the app 400, and a good one is recorded
// before the 200, since Flow enables the merchant's workflow only on a 2xx and the app must then
// know to send the trigger (docs/decisions/025).
import type { Db } from "../db/client.server";
import {
  parseFlowTriggerLifecycle,
  recordFlowTriggerLifecycle,
} from "../fulfilment/flow-triggers.server";
import { env } from "../utils/env.server";
import { signatureMatches } from "./verify.server";

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function receiveFlowTriggerLifecycle(request: Request, db: Db): Promise<Response> {
  if (request.method !== "POST") return text(405, "Flow's lifecycle callbacks are POST requests.");
  const rawBody = await request.text();
  const signature = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!signature || !signatureMatches(rawBody, signature, env().SHOPIFY_API_SECRET))
    return text(401, "The request is not signed by Shopify Flow for this app.");
  const parsed = parseFlowTriggerLifecycle(rawBody);
  if (!parsed.ok) return text(400, parsed.message);
  await recordFlowTriggerLifecycle(db, parsed.lifecycle);
  return text(200, "Recorded.");
}
