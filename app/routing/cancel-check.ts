// What Shopify would refuse a cancel ("Cancel order") or a refund ("Cancel items") for, known from the order before anything is taken back: an active return, store credit on a B2B order, a restock at a deactivated location.
import type { CancelRefundChoice } from "./cancel";
import type { LineRefundChoice } from "./cancel-lines";

/**
 * What the order says of Shopify's refusals (ORDER_CANCEL_CHECK_QUERY, with the lines each
 * fulfillment order carries from the order the app reads anyway). Read when a cancel dialog opens
 * and again right before the action: a return opened in between still reaches Shopify's refusal,
 * and the order is routed again then (ADR 079).
 */
export interface CancelCheckFacts {
  /** Order.returnStatus RETURN_REQUESTED or IN_PROGRESS: "no active returns in progress". */
  returnInProgress: boolean;
  /** The company of a B2B order (Order.purchasingEntity); null for a customer's own order. */
  company: string | null;
  /** Money taken and not all given back: orderCancel then refuses a restock at a deactivated location. */
  paid: boolean;
  /** Open fulfillment orders at a location no longer active: its name and the lines it carries. */
  inactiveLocations: { location: string; lineItemIds: string[] }[];
}

/** Why Shopify would refuse; the dialog and the action's field error word each from the catalogue. */
export type CancelBlock =
  | { code: "returnInProgress" }
  | { code: "storeCreditB2B"; company: string }
  | { code: "locationInactive"; location: string };

/** The form field a refusal is about (the dialog shows the order's own refusal above the fields). */
export const CANCEL_BLOCK_FIELD = {
  returnInProgress: "order",
  storeCreditB2B: "refund",
  locationInactive: "restock",
} as const satisfies Record<CancelBlock["code"], string>;

/**
 * What orderCancel would refuse with these choices: an active return ("The order has no active
 * returns in progress"); store credit on a B2B order (STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED); a
 * restock of a paid order with a fulfillment order at a deactivated location ("Paid orders:
 * Cancellation will fail with an error if restocking is enabled"). All from orderCancel's reference.
 */
export function cancelOrderBlock(
  facts: CancelCheckFacts,
  choice: { refund: CancelRefundChoice; restock: boolean },
): CancelBlock | null {
  if (facts.returnInProgress) return { code: "returnInProgress" };
  if (choice.refund === "store_credit" && facts.company)
    return { code: "storeCreditB2B", company: facts.company };
  const inactive = facts.inactiveLocations[0];
  if (choice.restock && facts.paid && inactive)
    return { code: "locationInactive", location: inactive.location };
  return null;
}

/**
 * What refundCreate would refuse for these lines and choices: store credit on a B2B order, and a
 * restock where a chosen line was to ship from when that location is no longer active (the refund
 * restocks there, ADR 079). An active return does not stop a refund (returns are refunded so).
 */
export function cancelLinesBlock(
  facts: CancelCheckFacts,
  choice: { refund: LineRefundChoice; restock: boolean; lineItemIds: readonly string[] },
): CancelBlock | null {
  if (choice.refund === "store_credit" && facts.company)
    return { code: "storeCreditB2B", company: facts.company };
  if (!choice.restock) return null;
  const inactive = facts.inactiveLocations.find((l) =>
    l.lineItemIds.some((id) => choice.lineItemIds.includes(id)),
  );
  return inactive ? { code: "locationInactive", location: inactive.location } : null;
}
