// The handles this app gives its holds: how a later plan recognises which holds are its own and why it placed them.
import { fnv1a64 } from "./hash";
import type { FulfillmentHold, FulfillmentHoldReason } from "./snapshot";

/** What a planned hold is for. "review" and "rule" holds are lifted when the merchant approves. */
export type HoldPurpose = "review" | "rule" | "stock";

const PURPOSE_SUFFIX: Record<HoldPurpose, string> = {
  review: "review",
  rule: "hold",
  stock: "stock",
};

/**
 * `fr-rule-<8 hex of the rule id>-<review|hold|stock>`: short (Shopify limits handles), stable
 * across re-plans, and the same for every fulfillment order a rule holds.
 */
export function ruleHoldHandle(ruleId: string, purpose: HoldPurpose): string {
  return `fr-rule-${fnv1a64(ruleId).slice(0, 8)}-${PURPOSE_SUFFIX[purpose]}`;
}

/** The review hold Settings place on downloads when digital downloads need review. */
export const DEFAULT_REVIEW_HOLD_HANDLE = "fr-default-review";

/**
 * The release gate's hold on fulfillment orders at a fulfilment service, from the moment Shopify
 * routes the order until the rules have decided. The planner treats it as its own: no rule ever
 * wants it, so the first plan that decides releases it (or replaces it with the holds it wants).
 */
export const GATE_HOLD_HANDLE = "fr-gate";

export function isGateHold(hold: Pick<FulfillmentHold, "handle" | "heldByRequestingApp">): boolean {
  return hold.handle === GATE_HOLD_HANDLE && hold.heldByRequestingApp !== false;
}

/**
 * Prefix reserved for holds the screens place by hand ("Hold" button). The planner never places
 * or releases these: a merchant's own hold stays until the merchant releases it.
 */
export const MANUAL_HOLD_HANDLE_PREFIX = "fr-manual";

const PLANNED_HANDLE = /^fr-(?:rule-[0-9a-f]{8}-(review|hold|stock)|default-(review))$/;

/** The purpose of a hold the planner placed, or null when the hold is not one of the planner's. */
export function plannedHoldPurpose(
  hold: Pick<FulfillmentHold, "handle" | "heldByRequestingApp">,
): HoldPurpose | null {
  if (!hold.handle || hold.heldByRequestingApp === false) return null;
  const match = PLANNED_HANDLE.exec(hold.handle);
  if (!match) return null;
  const suffix = match[1] ?? match[2];
  return suffix === "review" ? "review" : suffix === "stock" ? "stock" : "rule";
}

export const HOLD_REASON_LABELS: Record<FulfillmentHoldReason, string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  AWAITING_RETURN_ITEMS: "Awaiting return items",
  HIGH_RISK_OF_FRAUD: "High risk of fraud",
  INCORRECT_ADDRESS: "Incorrect address",
  INVENTORY_OUT_OF_STOCK: "Inventory out of stock",
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: "Post-purchase cross-sell",
  OTHER: "Other",
  UNKNOWN_DELIVERY_DATE: "Unknown delivery date",
};

/** Shopify keeps at most this many holds per app on one fulfillment order. */
export const MAX_HOLDS_PER_APP = 10;
