// Announces an app event to Shopify Flow (flowTriggerReceive), so a merchant's workflow can start
// from it: "Fulfillment order needs review", "Fulfillment request stuck", "Drift found".
//
// Call announceToFlow where the app records the event, once per event: it never throws (a Flow
// outage must not undo or repeat the work that found the event) and answers what happened.
// The trigger definitions are extensions/flow-*/shopify.extension.toml; their payload keys are here.
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

export type FlowAnnouncement = { sent: true } | { sent: false; message: string };

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

export async function announceToFlow(
  gateway: AdminGateway,
  event: FlowEvent,
): Promise<FlowAnnouncement> {
  try {
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
