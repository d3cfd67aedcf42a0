// What the planner gives back: the Plan, its Steps' outcomes per fulfillment order, and what needs the merchant.
import type { Explanation } from "./decide";
import type { Step } from "./steps";
import type { Words } from "./words";

export type { Explanation } from "./decide";

export interface PlanOptions {
  /** The planner's clock: hold delays are measured against it. Never read from the system inside the engine. */
  now: Date | string | number;
  /**
   * Fulfillment orders the merchant approved. Their review holds and rule holds are lifted and
   * stay lifted on every later plan; stock holds are not (approval does not make stock).
   */
  approvals?: readonly string[];
  /**
   * Where the merchant's repairs (Stuck and drift) sent the order's work: each repair's lines and
   * the location it moved them to. A fulfillment order still there holding only such lines is the
   * merchant's choice, made because the rules' place stood still: the rules neither move it back
   * nor send it on. The locations repairs took work away from (`awayFrom`) are where it stood still:
   * a rejected request's fallback goes elsewhere (ADR 083 addendum). A repair the merchant handed
   * back to the rules with Route again is not passed.
   */
  repairs?: readonly PlacedByRepair[];
  /**
   * Writes the words of a note Shopify keeps (a stock hold's counts: "1 of 3 “Photo Book” waiting
   * for stock at Studio") in the catalogue's English, admin's US English (ADR 020, 088): the
   * engine holds no catalogue, so the service that applies the plan passes it. Without it (a dry
   * run, which sends nothing) a hold keeps its plain note.
   */
  writeNote?: (words: Words) => string;
  /**
   * What Shopify answered when asked before a plan that moves or merges is applied (ADR 094):
   * moves and merges go only where Shopify says it would take them. Absent for a fulfillment
   * order (or a location) nobody asked about: planned as the rules want, and the router asks.
   */
  shopify?: ShopifyAllows;
  /**
   * Fulfillment orders the decision being applied moved in an earlier round (its id after the
   * move → the location it left, as the fulfillment order named it): the router plans again after
   * its own move, and that round's trace says the decision moved the work there, not that it was
   * already there (ADR 099).
   */
  movedByThisDecision?: Readonly<Record<string, { locationId: string; name: string }>>;
}

/** Shopify's answers the plan is made against (FulfillmentOrder.locationsForMove, fulfillmentOrdersForMerge). */
export interface ShopifyAllows {
  /** Per fulfillment order: Shopify's locationsForMove for each location it was asked about. */
  moves?: Readonly<Record<string, readonly MoveAllowed[]>>;
  /** Per fulfillment order: the fulfillment orders its fulfillmentOrdersForMerge lists. */
  merges?: Readonly<Record<string, readonly string[]>>;
}

/** One location of a fulfillment order's locationsForMove. */
export interface MoveAllowed {
  locationId: string;
  /** Shopify's `movable`: the whole fulfillment order may go there. */
  movable: boolean;
  /** Shopify's own sentence when it, or some of its lines, cannot go there. */
  message: string | null;
  /** Its lines (FulfillmentOrderLineItem ids) Shopify would move there (`availableLineItems`). */
  movableLines: readonly string[];
}

/** The lines a repair moved, the location it moved them to, and those it took the work away from. */
export interface PlacedByRepair {
  locationId: string;
  lineItemIds: readonly string[];
  /** Where the order's work stood still (RepairIntent.awayFrom); absent for repairs begun before it was kept. */
  awayFrom?: readonly string[];
}

export type AttentionCode =
  | "no_capable_location"
  | "location_not_found"
  | "not_allowed_by_shopify"
  | "fulfilment_request_rejected"
  | "fulfilment_service_failed"
  | "authorization_expired"
  | "too_many_holds"
  | "incomplete_snapshot"
  | "work_left_behind";

/**
 * Something the engine cannot decide or do; the order shows as "needs attention" with these
 * Words, which each screen says in the admin's language (stored as Words, ADR 020).
 */
export interface AttentionReason {
  code: AttentionCode;
  fulfillmentOrderId: string | null;
  lineItemId: string | null;
  ruleId: string | null;
  message: Words;
}

export type FulfillmentOrderOutcome =
  /** Being split, moved or merged; decided further once Shopify has made the change. */
  | "routing"
  /** On hold (by this plan or already), waiting for review, stock, time or someone else. */
  | "held"
  /** Holds are being released; sent on its way in the next round. */
  | "releasing"
  | "fulfilling"
  | "requesting"
  /** Nothing to do by the rules: waits for the merchant to fulfil it. */
  | "waiting_for_you"
  /** With a fulfilment service, scheduled, or in progress: nothing for the rules to do now. */
  | "in_progress"
  | "done"
  /**
   * Closed or cancelled without being fulfilled there: a fulfilment service accepted a
   * cancellation request (the work, if any is left, comes back on another fulfillment order).
   */
  | "cancelled"
  | "needs_attention";

export interface FulfillmentOrderDecision {
  fulfillmentOrderId: string;
  locationName: string;
  matchedRuleIds: string[];
  /** True when Settings, not a rule, decided how it is sent. */
  usedDefault: boolean;
  outcome: FulfillmentOrderOutcome;
}

export interface Plan {
  orderId: string;
  orderName: string;
  /** Computed for a screen, never to be executed. */
  dryRun: boolean;
  /** The `now` the plan was made for, ISO 8601. */
  plannedAt: string;
  /** In the order to apply them. Empty when Shopify already is as the rules want. */
  steps: Step[];
  explanation: Explanation[];
  needsAttention: AttentionReason[];
  fulfillmentOrders: FulfillmentOrderDecision[];
  /**
   * After applying these steps, read the order again and plan again: a split, move or merge made
   * fulfillment orders whose ids only Shopify knows, a release opens the way to fulfilment, or a
   * step changed something the rules look at. When false, planning the resulting state plans nothing.
   */
  replanAfterApply: boolean;
  /** When a timed hold ends: plan this order again then, even if nothing else happens. */
  replanAt: string | null;
}

/** Planning rounds an executor should allow for one order before calling it stuck (rules moving lines back and forth). */
export const MAX_PLANNING_ROUNDS = 12;
