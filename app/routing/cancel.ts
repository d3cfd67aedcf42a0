// Cancelling a whole order as Shopify allows it: what must be taken back first (the app's holds,
// requests no lab has accepted), what refuses the cancel (work a lab accepted), and the orderCancel.
import type { FulfillmentOrder, OrderSnapshot } from "./snapshot";
import { makeStep, type OrderCancelReason, type Step, type StepWhy } from "./steps";

/** Where the money goes back to: Shopify's OrderCancelRefundMethodInput, or nothing refunded. */
export const CANCEL_REFUND_CHOICES = ["original", "store_credit", "none"] as const;
export type CancelRefundChoice = (typeof CANCEL_REFUND_CHOICES)[number];

export interface CancelRequest {
  reason: OrderCancelReason;
  refund: CancelRefundChoice;
  restock: boolean;
  notifyCustomer: boolean;
  /** For staff only; Shopify keeps at most 255 characters. */
  staffNote: string | null;
}

export type CancelPlan =
  /** Everything needed, in order; the orderCancel last. */
  | { kind: "cancel"; steps: Step[] }
  /**
   * Not cancelled. `steps` asks the labs holding accepted work to give it back (sent at most once
   * per fulfillment order); the merchant cancels again once they have.
   */
  | { kind: "refused"; reason: string; steps: Step[] }
  | { kind: "done"; reason: string };

/** A fulfilment service accepted it and has not let go: Shopify refuses orderCancel while it is so. */
export function labHolds(fo: FulfillmentOrder): boolean {
  if (fo.status !== "IN_PROGRESS") return false;
  return (
    fo.requestStatus === "ACCEPTED" ||
    fo.requestStatus === "CANCELLATION_REQUESTED" ||
    fo.requestStatus === "CANCELLATION_REJECTED"
  );
}

export const serviceName = (fo: FulfillmentOrder) =>
  fo.fulfillmentService?.name ?? fo.assignedLocation.name;

/** Whose hold it is: ours carry an "fr-" handle and Shopify says this app placed them. */
export const ourHolds = (fo: FulfillmentOrder) =>
  fo.holds.filter((h) => h.heldByRequestingApp !== false && h.handle?.startsWith("fr-"));

export function planCancel(
  snapshot: OrderSnapshot,
  request: CancelRequest,
  why: StepWhy,
): CancelPlan {
  const o = snapshot.order;
  if (o.cancelledAt) return { kind: "done", reason: "The order is already canceled." };
  if (request.refund === "store_credit" && !o.customer)
    return {
      kind: "refused",
      reason:
        "Store credit needs a customer, and this order has none. Refund to the original payment method instead.",
      steps: [],
    };
  const open = snapshot.fulfillmentOrders.filter(
    (fo) => fo.status !== "CLOSED" && fo.status !== "CANCELLED",
  );
  const accepted = open.filter(labHolds);
  if (accepted.length > 0) {
    const ask = accepted
      .filter((fo) => fo.requestStatus === "ACCEPTED")
      .map((fo) =>
        makeStep(
          "fulfillmentOrderSubmitCancellationRequest",
          o.id,
          fo.id,
          { id: fo.id, message: `Order ${o.name} is being canceled.` },
          `Ask ${serviceName(fo)} to cancel their work`,
          why,
        ),
      );
    const rejected = accepted.find((fo) => fo.requestStatus === "CANCELLATION_REJECTED");
    const names = [...new Set(accepted.map(serviceName))].join(", ");
    const reason = rejected
      ? `${serviceName(rejected)} refused to cancel the work they accepted, so the order was not canceled. Contact them, or refund the order in Shopify admin once they have shipped.`
      : `${names} accepted work on this order and has not let go of it, so the order was not canceled. ${ask.length ? "The app asked them to cancel it" : "They were asked to cancel it"}; cancel the order again when they accept.`;
    return { kind: "refused", reason, steps: ask };
  }
  const steps: Step[] = [];
  for (const fo of open) {
    // A request no lab has answered yet is withdrawn at once.
    if (fo.requestStatus === "SUBMITTED")
      steps.push(
        makeStep(
          "fulfillmentOrderCancel",
          o.id,
          fo.id,
          { id: fo.id },
          `Withdraw the request to ${serviceName(fo)}`,
          why,
        ),
      );
    const holds = ourHolds(fo);
    if (holds.length > 0 && fo.requestStatus !== "SUBMITTED")
      steps.push(
        makeStep(
          "fulfillmentOrderReleaseHold",
          o.id,
          fo.id,
          { id: fo.id, holdIds: holds.map((h) => h.id) },
          `Release this app's ${holds.length > 1 ? `${holds.length} holds` : "hold"} at ${fo.assignedLocation.name}`,
          why,
        ),
      );
  }
  steps.push(
    makeStep(
      "orderCancel",
      o.id,
      null,
      {
        orderId: o.id,
        reason: request.reason,
        ...(request.refund === "original"
          ? { refundMethod: { originalPaymentMethodsRefund: true as const } }
          : request.refund === "store_credit"
            ? { refundMethod: { storeCreditRefund: {} } }
            : {}),
        restock: request.restock,
        notifyCustomer: request.notifyCustomer,
        staffNote: request.staffNote,
      },
      `Cancel order ${o.name}`,
      why,
    ),
  );
  return { kind: "cancel", steps };
}
