// Announces an app event to Shopify Flow (flowTriggerReceive), so a merchant's workflow can start
// from it: "Fulfillment order needs review", "Fulfillment request stuck", "Drift found"; and
// takes Flow's trigger lifecycle callback, which says whether a shop has an enabled workflow that
// starts from one of them, so that a trigger no workflow uses costs the shop nothing (ADR 025).
//
// Call announceToFlow where the app records the event, once per event: it never throws (a Flow
// outage must not undo or repeat the work that found the event) and answers what happened.
// The trigger definitions are extensions/flow-*/shopify.extension.toml; their payload keys are here.
import type { Db } from "../db/client.server";
import { isUniqueViolation } from "../db/errors.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { ShopifyUserErrors, requireNoUserErrors, type UserError } from "../shopify/errors";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "../shopify/operations";
import type {
  FlowTriggerReceiveMutation,
  FlowTriggerReceiveMutationVariables,
} from "../types/admin.generated";

export type FlowEventKind = "needs_review" | "request_stuck" | "drift_found";

/** The flow_trigger extension handle of each kind (each extensions/flow-… folder's toml). */
export const FLOW_TRIGGER_HANDLES: Record<FlowEventKind, string> = {
  needs_review: "fulfillment-order-needs-review",
  request_stuck: "fulfillment-request-stuck",
  drift_found: "drift-found",
};

/** Each trigger's name in its toml, which Flow's lifecycle callback may name it by. */
const FLOW_TRIGGER_NAMES: Record<FlowEventKind, string> = {
  needs_review: "Fulfillment order needs review",
  request_stuck: "Fulfillment request stuck",
  drift_found: "Drift found",
};

export interface FlowEvent {
  shop: string;
  /** gid://shopify/Order/… */
  orderId: string;
  /** gid://shopify/FulfillmentOrder/… */
  fulfillmentOrderId: string;
  kind: FlowEventKind;
  /** Why, in the merchant's words: shown in Flow as the trigger's "Reason". */
  reason: string;
}

export type FlowAnnouncement =
  | { sent: true }
  /** No enabled workflow of the shop starts from this trigger: nothing was sent. */
  | { sent: false; unused: true }
  | { sent: false; unused?: false; message: string };

/**
 * The payload Flow expects for the trigger: the order as an `order_reference` (sent as `order_id`,
 * the numeric ID, per Flow's trigger reference), and the fulfillment order and reason as text
 * fields, since Flow has no reference field type for fulfillment orders.
 */
export function flowTriggerPayload(event: FlowEvent): Record<string, string> {
  return {
    order_id: event.orderId.slice(event.orderId.lastIndexOf("/") + 1),
    "Fulfillment order ID": event.fulfillmentOrderId,
    // Text fields hold one line; Flow's payload limit is 50 KB, a reason needs far less.
    Reason: event.reason.replace(/\s+/g, " ").trim().slice(0, 500),
  };
}

/**
 * Whether the shop has an enabled workflow starting from the trigger, as Flow's newest callback
 * about it said. Never told means no (Flow lets a merchant enable such a workflow only once the
 * app has answered its lifecycle callback, and the app records the callback before it answers),
 * except on a shop installed before the app had the callback: there a workflow may have been
 * enabled unheard, so the trigger is sent until Flow first calls back about it.
 */
export async function flowTriggerInUse(
  db: Db,
  shop: string,
  kind: FlowEventKind,
): Promise<boolean> {
  const use = await db.flowTriggerUse.findUnique({
    where: { shop_handle: { shop, handle: FLOW_TRIGGER_HANDLES[kind] } },
    select: { enabled: true },
  });
  if (use) return use.enabled;
  const installed = await db.shop.findUnique({
    where: { shop },
    select: { flowTriggersBeforeLifecycle: true },
  });
  return installed?.flowTriggersBeforeLifecycle === true;
}

export async function announceToFlow(
  deps: { db: Db; gateway: AdminGateway },
  event: FlowEvent,
): Promise<FlowAnnouncement> {
  const { db, gateway } = deps;
  try {
    // A flowTriggerReceive costs a mutation's points whether or not a workflow runs from it.
    if (!(await flowTriggerInUse(db, event.shop, event.kind))) return { sent: false, unused: true };
    const data = await gateway.request<
      FlowTriggerReceiveMutation,
      FlowTriggerReceiveMutationVariables
    >(FLOW_TRIGGER_RECEIVE_MUTATION, {
      handle: FLOW_TRIGGER_HANDLES[event.kind],
      payload: flowTriggerPayload(event),
    });
    requireNoUserErrors(
      "flowTriggerReceive",
      data.flowTriggerReceive as { userErrors: UserError[] } | null,
    );
    return { sent: true };
  } catch (error) {
    const message =
      error instanceof ShopifyUserErrors
        ? error.userErrors.map((e) => e.message).join("; ")
        : error instanceof Error
          ? error.message
          : String(error);
    return { sent: false, message: `Shopify Flow was not told (${message})` };
  }
}

/** One trigger lifecycle callback, as Flow sends it (shopify.dev, "Track Flow lifecycle events"). */
export interface FlowTriggerLifecycle {
  shop: string;
  handle: string;
  enabled: boolean;
  at: Date;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Reads a callback's body: `flow_trigger_definition_id` (one of the app's triggers, by handle or by
 * its name), `has_enabled_flow`, `shopify_domain` and `timestamp`.
 */
export function parseFlowTriggerLifecycle(
  rawBody: string,
): { ok: true; lifecycle: FlowTriggerLifecycle } | { ok: false; message: string } {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    return { ok: false, message: "The body is not JSON." };
  }
  if (!body || typeof body !== "object")
    return { ok: false, message: "The body is not an object." };
  const id = body.flow_trigger_definition_id;
  const kind = (Object.keys(FLOW_TRIGGER_HANDLES) as FlowEventKind[]).find(
    (k) => FLOW_TRIGGER_HANDLES[k] === id || FLOW_TRIGGER_NAMES[k] === id,
  );
  if (!kind)
    return { ok: false, message: "flow_trigger_definition_id names no trigger of this app." };
  if (typeof body.has_enabled_flow !== "boolean")
    return { ok: false, message: "has_enabled_flow must be true or false." };
  const shop = body.shopify_domain;
  if (typeof shop !== "string" || !SHOP_DOMAIN.test(shop))
    return { ok: false, message: "shopify_domain must be a myshopify.com domain." };
  const at = new Date(typeof body.timestamp === "string" ? body.timestamp : Number.NaN);
  if (Number.isNaN(at.getTime()))
    return { ok: false, message: "timestamp must be an ISO 8601 time." };
  return {
    ok: true,
    lifecycle: { shop, handle: FLOW_TRIGGER_HANDLES[kind], enabled: body.has_enabled_flow, at },
  };
}

/**
 * Keeps what a callback says unless a newer one was kept already: Flow's callbacks may arrive out
 * of order, and the newer timestamp takes precedence.
 */
export async function recordFlowTriggerLifecycle(
  db: Db,
  { shop, handle, enabled, at }: FlowTriggerLifecycle,
): Promise<void> {
  const where = { shop, handle, changedAt: { lt: at } };
  if ((await db.flowTriggerUse.updateMany({ where, data: { enabled, changedAt: at } })).count > 0)
    return;
  try {
    await db.flowTriggerUse.create({ data: { shop, handle, enabled, changedAt: at } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The row is there (kept by a callback as new or newer, or by one that arrived meanwhile).
    await db.flowTriggerUse.updateMany({ where, data: { enabled, changedAt: at } });
  }
}
