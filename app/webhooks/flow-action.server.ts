// The HTTP side of the app's Shopify Flow actions: Flow signs each request with the app's client
// secret (X-Shopify-Hmac-Sha256, the webhook signature); a missing or bad signature stores
// nothing and answers 401, a malformed body 400, and a good one is stored as a job and answered 200.
// Why not `authenticate.flow`: it answers 400 to a bad signature, and loads the shop's session
// (maybe refreshing its token over the network) before answering; the worker needs it, not this.
import { env } from "../utils/env.server";
import { signatureMatches } from "./verify.server";
import type { JobQueue } from "../jobs/queue";
import {
  enqueueFlowAction,
  parseFlowActionRequest,
  type FlowActionHandle,
} from "../fulfilment/flow-actions.server";

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function receiveFlowAction(
  request: Request,
  handle: FlowActionHandle,
  queue: JobQueue,
): Promise<Response> {
  if (request.method !== "POST") return text(405, "Flow actions are POST requests.");
  const rawBody = await request.text();
  const signature = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!signature || !signatureMatches(rawBody, signature, env().SHOPIFY_API_SECRET))
    return text(401, "The request is not signed by Shopify Flow for this app.");
  const parsed = parseFlowActionRequest(rawBody, handle);
  if (!parsed.ok) return text(400, parsed.message);
  // Only the job is stored here: Flow waits seconds, routing an order can take longer.
  await enqueueFlowAction(queue, parsed.job);
  return text(200, "Accepted: the app runs it now.");
}
