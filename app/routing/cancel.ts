// Cancelling a whole order as Shopify allows it: what must be taken back first (the app's holds,
// requests no lab has accepted), what refuses the cancel (work a lab accepted), the orderCancel,
// and then the order's open extra-charge drafts, whose invoices must no longer be paid.
import type { FulfillmentOrder, OrderSnapshot } from "./snapshot";
import { makeStep, type OrderCancelReason, type Step, type StepWhy } from "./steps";
import { engineSaid, said, type Words } from "./words";

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
  /**
   * Everything needed, in order; the orderCancel last. `afterCancel` deletes the open extra-charge
   * drafts once Shopify has canceled the order: before, a refused cancel would lose the charge.
   */
  | { kind: "cancel"; steps: Step[]; afterCancel: Step[] }
  /**
   * Not cancelled. `steps` asks the labs holding accepted work to give it back (sent at most once
   * per fulfillment order); the merchant cancels again once they have.
   */
  | { kind: "refused"; reason: Words; steps: Step[] }
  | { kind: "done"; reason: Words };

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

/** The Step summaries the whole-order and the items' cancels share. */
export const askToCancelWords = (fo: FulfillmentOrder) =>
  engineSaid("step.askToCancel", { service: serviceName(fo) });
export const withdrawRequestWords = (fo: FulfillmentOrder) =>
  engineSaid("step.withdrawRequest", { service: serviceName(fo) });
export const releaseOurHoldsWords = (fo: FulfillmentOrder, count: number) =>
  engineSaid("step.release", { count, location: fo.assignedLocation.name });

/** An extra charge of the order whose draft's invoice can still be paid. */
export interface OpenChargeDraft {
  draftOrderId: string;
  draftOrderName: string | null;
}

export function planCancel(
  snapshot: OrderSnapshot,
  request: CancelRequest,
  why: StepWhy,
  openCharges: readonly OpenChargeDraft[] = [],
): CancelPlan {
  const o = snapshot.order;
  if (o.cancelledAt) return { kind: "done", reason: said("cancel.alreadyCanceled") };
  if (request.refund === "store_credit" && !o.customer)
    return { kind: "refused", reason: said("cancel.noCustomer"), steps: [] };
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
          askToCancelWords(fo),
          why,
        ),
      );
    const rejected = accepted.find((fo) => fo.requestStatus === "CANCELLATION_REJECTED");
    const names = [...new Set(accepted.map(serviceName))].join(", ");
    const reason = rejected
      ? said("cancel.labRefused", { service: serviceName(rejected) })
      : said(ask.length ? "cancel.labAccepted" : "cancel.labAcceptedAsked", { services: names });
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
          withdrawRequestWords(fo),
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
          releaseOurHoldsWords(fo, holds.length),
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
      engineSaid("step.cancelOrder", { order: o.name }),
      why,
    ),
  );
  return { kind: "cancel", steps, afterCancel: deleteChargeSteps(o.id, openCharges, why) };
}

/** Deletes a canceled order's open extra-charge drafts: their invoices must no longer be paid. */
export function deleteChargeSteps(
  orderId: string,
  openCharges: readonly OpenChargeDraft[],
  why: StepWhy,
): Step[] {
  return openCharges.map((charge) =>
    makeStep(
      "draftOrderDelete",
      orderId,
      null,
      { input: { id: charge.draftOrderId } },
      engineSaid("step.deleteChargeDraft", { draft: charge.draftOrderName ?? "" }),
      why,
    ),
  );
}
