// What a merchant is told to do about a Step Shopify refused: the refusal's code (Shopify's, or what the order read after it shows) and the advice each code reads, for the rules' Steps and for repairs.
import type { Step } from "./steps";
import { FULFILLMENT_ORDER_ACTIONS, type OrderSnapshot } from "./snapshot";
import { engineSaid, said, type StoredWords, type Words } from "./words";

/**
 * The advice each refusal code reads (`engine.route.advice.<advice>`); a code not listed reads
 * the general advice (fix what Shopify names, then Route again).
 *
 * Shopify's codes come from the *UserErrorCode enums of the mutations the executor sends whose
 * userErrors have a code at all (2026-10: hold, release, split, merge, move, fulfillmentOrderCancel
 * and orderCancel); each listed one is a situation a merchant meets in practice. The codes only a
 * bug of the app would cause (DUPLICATE_FULFILLMENT_HOLD_HANDLE, DUPLICATED_FULFILLMENT_ORDER_LINE_
 * ITEMS, TAKEN, NO_LINE_ITEMS_PROVIDED_TO_SPLIT, INVALID, INTERNAL_ERROR) keep the general advice;
 * FULFILLMENT_ORDER_HOLD_LIMIT_REACHED has a sentence of its own (settled.holdLimitReached).
 */
export const ADVICE_OF_CODE: Readonly<Record<string, string>> = {
  // fulfillmentOrderReleaseHold: "The app doesn't have access to release the fulfillment hold":
  // the hold is another app's.
  INVALID_ACCESS: "holdOfAnotherApp",
  // Hold, release, split, merge: the fulfillment order is no longer there (merged, moved, edited).
  FULFILLMENT_ORDER_NOT_FOUND: "fulfillmentOrderGone",
  // Hold, split, merge: the quantities asked for are no longer on the fulfillment order.
  INVALID_LINE_ITEM_QUANTITY: "linesChanged",
  GREATER_THAN: "linesChanged",
  GREATER_THAN_ZERO: "linesChanged",
  // Holding some lines of a fulfillment order that is not open (already held, in progress).
  FULFILLMENT_ORDER_NOT_SPLITTABLE: "notSplittable",
  // Move (2026-04 on) and fulfillmentOrderCancel: someone reported progress on it (in admin or an
  // app); "Mark as unfulfilled first" (FulfillmentOrderCancelErrorCode's description).
  CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS: "progressReported",
  FULFILLMENT_ORDER_HAS_MANUALLY_REPORTED_PROGRESS: "progressReported",
  // What the order read after a refusal shows, for mutations whose userErrors carry no code
  // (UserError: fulfillment requests, fulfillmentCreate, orderCapture, and the move before
  // 2026-04). Named in lower camel case so they never meet one of Shopify's codes.
  fulfillmentOrderGone: "fulfillmentOrderGone",
  fulfillmentOrderClosed: "fulfillmentOrderClosed",
  heldMeanwhile: "heldMeanwhile",
  markedInProgress: "progressReported",
  authorizationExpired: "authorizationExpired",
  destinationCannotTake: "destinationCannotTake",
  requestsNotTaken: "requestsNotTaken",
};

/** Every advice a refused Step can read, the general one included: each is in the catalogue. */
export const REFUSAL_ADVICES: readonly string[] = [
  "general",
  ...new Set(Object.values(ADVICE_OF_CODE)),
];

/**
 * The code kept with a refused Step: the first of Shopify's codes that has advice, else what the
 * order read after the refusal (`after`) shows where Shopify gave no code, else Shopify's first
 * code (kept for the record), else none.
 */
export function refusalCode(
  step: Step,
  shopifyCodes: readonly string[],
  after: OrderSnapshot | null,
): string | null {
  const advised = shopifyCodes.find((code) => Object.hasOwn(ADVICE_OF_CODE, code));
  if (advised) return advised;
  if (shopifyCodes.length > 0) return shopifyCodes[0]!;
  return after ? readShows(step, after) : null;
}

const HOLD_KINDS: readonly string[] = ["fulfillmentOrderHold", "fulfillmentOrderReleaseHold"];

/** What the order as read after a refusal without a code says about it, when it says something. */
function readShows(step: Step, after: OrderSnapshot): string | null {
  if (step.kind === "orderCapture")
    // Shopify shows a lapsed authorization as the order's financial status Expired.
    return after.order.displayFinancialStatus === "EXPIRED" ? "authorizationExpired" : null;
  if (!step.fulfillmentOrderId) return null;
  const fo = after.fulfillmentOrders.find((f) => f.id === step.fulfillmentOrderId);
  if (!fo) return "fulfillmentOrderGone";
  // Fulfilled, cancelled or closed in admin (or by the lab) since the app read it.
  if (fo.status === "CLOSED" || fo.status === "CANCELLED") return "fulfillmentOrderClosed";
  // Held in admin or by another app since the read (a hold or release of the app's own is read
  // again and planned on before it is ever the merchant's concern).
  if (fo.status === "ON_HOLD" && !HOLD_KINDS.includes(step.kind)) return "heldMeanwhile";
  // Marked as in progress by staff (progress reported) where the move's or the cancel's error had
  // no code: the payloads' reference up to 2026-01 gives them UserError (ADR 040).
  if (
    (step.kind === "fulfillmentOrderMove" || step.kind === "fulfillmentOrderCancel") &&
    fo.status === "IN_PROGRESS" &&
    !fo.fulfillmentService
  )
    return "markedInProgress";
  if (step.kind === "fulfillmentOrderMove") {
    // What is left of fulfillmentOrderMove's documented failures once the fulfillment order is
    // open where it was: "The destination location doesn't stock the requested inventory item"
    // (and a location no longer active, which the simulator answers as not found).
    const moved = step.input.newLocationId === fo.assignedLocation.locationId;
    return moved ? null : "destinationCannotTake";
  }
  if (
    step.kind === "fulfillmentOrderSubmitFulfillmentRequest" &&
    fo.requestStatus === "UNSUBMITTED" &&
    !fo.supportedActions.includes(FULFILLMENT_ORDER_ACTIONS.requestFulfillment)
  )
    return "requestsNotTaken";
  return null;
}

/** The advice a refused Step's code reads; the general advice for no code or one without. */
export function refusalAdvice(code: unknown): Words {
  return engineSaid(`route.advice.${adviceIn(ADVICE_OF_CODE, code)}`);
}

/** A code's advice in a table, asked for its own keys only (a code named "constructor" is none). */
function adviceIn(table: Readonly<Record<string, string>>, code: unknown): string {
  return (typeof code === "string" && Object.hasOwn(table, code) && table[code]) || "general";
}

/**
 * A refused Step as the queue and the order page say it: the Step, Shopify's words and the code
 * the advice is chosen by when it is shown (refusalAdvice), so a row kept before a code had
 * advice reads the newer advice.
 */
export function stepRefused(step: StoredWords, shopify: StoredWords, code: string | null): Words {
  return engineSaid("route.stepRefused", { step, shopify, ...(code ? { code } : {}) });
}

/**
 * The advices a repair Shopify refused twice reads (`serviceMessages.repair.advice.<advice>`),
 * chosen by the same codes and situations as a rules' Step (ADVICE_OF_CODE) in sentences of their
 * own: a repair is asked for on Stuck and drift, where the merchant can repair again, re-route,
 * mark the finding resolved, or settle it with the lab or by hand in Shopify admin, so "change the
 * rule" and "Route again" do not apply. A repair cancels, asks for cancellations, splits, moves,
 * requests and fulfills (planRepair) and never holds, releases or captures: another app's hold,
 * a hold Shopify cannot split and a lapsed authorization keep the general advice here.
 */
const REPAIR_ADVICES: readonly string[] = [
  "fulfillmentOrderGone",
  "linesChanged",
  "progressReported",
  "fulfillmentOrderClosed",
  "heldMeanwhile",
  "destinationCannotTake",
  "requestsNotTaken",
];

/** The advice each refusal code reads on a repair; a code not listed reads the general advice. */
export const REPAIR_ADVICE_OF_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ADVICE_OF_CODE).filter(([, advice]) => REPAIR_ADVICES.includes(advice)),
);

/** Every advice a refused repair can read, the general one included: each is in the catalogue. */
export const REPAIR_REFUSAL_ADVICES: readonly string[] = ["general", ...REPAIR_ADVICES];

/** The advice a refused repair's code reads; the general advice for no code or one without. */
export function repairRefusalAdvice(code: unknown): Words {
  return said(`repair.advice.${adviceIn(REPAIR_ADVICE_OF_CODE, code)}`);
}

/**
 * A repair Shopify refused twice as Stuck and drift and the order's log say it: Shopify's words
 * and the code (refusalCode's) the advice is chosen by when it is shown (repairRefusalAdvice).
 */
export function repairRefused(shopify: StoredWords, code: string | null): Words {
  return said("repair.refused", { shopify, ...(code ? { code } : {}) });
}
