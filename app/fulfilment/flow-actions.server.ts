// Shopify Flow's actions "Route order again" and "Release the app's hold": a signed request is
// checked and stored as a job at once, because Flow gives an action endpoint only seconds to answer;
// the worker then does the work through runCommand and the one executor.
import { z } from "zod";
import type { JobQueue } from "../jobs/queue";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import { said } from "../routing/words";
import { runCommand, type CommandResult } from "./commands.server";
import type { RouteOrderDeps } from "./route-order.server";
import { QUEUES } from "./queues";

// Named here for the Flow endpoint and its tests; the name itself lives with the other queues,
// which import nothing of the work they queue (an import cycle through the router left the
// worker's entry reading it before it was set).
export const FLOW_ACTION_QUEUE = QUEUES.flowAction;

/** The flow_action extension handles (extensions/flow-route-order-again, extensions/flow-release-hold). */
export const FLOW_ACTIONS = {
  "route-order-again": "reroute",
  "release-app-hold": "release",
} as const;
export type FlowActionHandle = keyof typeof FLOW_ACTIONS;

/** Who the decision log names for work a merchant's workflow asked for. */
export const FLOW_ACTOR = "Shopify Flow";

export interface FlowActionJob {
  shop: string;
  handle: FlowActionHandle;
  orderId: string;
  /** Flow's action_run_id: a retried request carries the same one. */
  runId: string;
}

const orderIdSchema = z
  .union([z.string(), z.number().int().positive()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+$/.test(v) || /^gid:\/\/shopify\/Order\/\d+$/.test(v), {
    message: "order_id must be an order ID",
  })
  .transform((v) => (v.startsWith("gid://") ? v : `gid://shopify/Order/${v}`));

const requestSchema = z.object({
  shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "is not a shop domain"),
  action_run_id: z.string().min(1).max(255),
  handle: z.string().optional(),
  properties: z.object({ order_id: orderIdSchema }),
});

export type ParsedFlowAction = { ok: true; job: FlowActionJob } | { ok: false; message: string };

/** Reads a verified Flow action body; the route answers 400 with the message when it is malformed. */
export function parseFlowActionRequest(
  rawBody: string,
  handle: FlowActionHandle,
): ParsedFlowAction {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, message: "The body is not JSON." };
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "),
    };
  if (parsed.data.handle && parsed.data.handle !== handle)
    return { ok: false, message: `This endpoint runs "${handle}", not "${parsed.data.handle}".` };
  return {
    ok: true,
    job: {
      shop: parsed.data.shopify_domain,
      handle,
      orderId: parsed.data.properties.order_id,
      runId: parsed.data.action_run_id,
    },
  };
}

/** Stores the job; a request Flow retries (same action_run_id) adds nothing. */
export async function enqueueFlowAction(queue: JobQueue, job: FlowActionJob): Promise<boolean> {
  return queue.enqueue(FLOW_ACTION_QUEUE, job, {
    key: `flow-action:${job.shop}:${job.runId}`,
    shop: job.shop,
    maxAttempts: 8,
  });
}

/** Runs one Flow action for its order: route it again, or release every hold the app placed on it. */
export async function runFlowAction(
  deps: RouteOrderDeps,
  job: FlowActionJob,
): Promise<CommandResult[]> {
  const context = { shop: job.shop, actor: FLOW_ACTOR };
  // The order is read on the shop's own Shopify first: an id that is not this shop's order (a
  // workflow's mistake, or another shop's order) is refused before anything is written, so this
  // shop's log never names an order it does not have.
  const snapshot = toOrderSnapshot(await readOrder(deps.gateway, job.orderId));
  if (!snapshot)
    return [{ ok: false, message: said("commands.noSuchOrder"), orderId: job.orderId }];
  if (FLOW_ACTIONS[job.handle] === "reroute")
    return [await runCommand(deps, context, { action: "reroute", orderId: job.orderId })];
  const held = snapshot.fulfillmentOrders.filter((fo) =>
    fo.holds.some((h) => h.heldByRequestingApp !== false && h.handle?.startsWith("fr-")),
  );
  if (held.length === 0)
    return [{ ok: true, message: said("commands.holdsNothing"), orderId: job.orderId }];
  const results: CommandResult[] = [];
  for (const fo of held)
    results.push(await runCommand(deps, context, { action: "release", fulfillmentOrderId: fo.id }));
  return results;
}
