// The merchant's rule language: conditions, actions, rules and the settings that fill in what rules leave open.
import { AUTHORIZATION_WARNING_HOURS } from "./authorization";
import type { FulfillmentHoldReason, RiskLevel } from "./snapshot";
import type { ExtraChargeState } from "./extra-charge";

// ---------------------------------------------------------------------------------------------
// Comparisons. One `value` field per condition whose type follows the operator, so a screen has
// exactly one place to show a value error.

export type TextTest =
  | {
      operator: "equals" | "not_equals" | "contains" | "not_contains" | "starts_with";
      value: string;
    }
  | { operator: "in" | "not_in"; value: string[] }
  /** value true: has one; false: has none. */
  | { operator: "exists"; value: boolean };

/** Tags compare whole tags, never parts of one: "contains" means "has the tag". */
export type TagTest =
  | { operator: "contains" | "not_contains"; value: string }
  | { operator: "in" | "not_in"; value: string[] }
  | { operator: "exists"; value: boolean };

export type ChoiceTest<V extends string = string> =
  { operator: "equals" | "not_equals"; value: V } | { operator: "in" | "not_in"; value: V[] };

export type PresenceTest = { operator: "exists"; value: boolean };

export type NumberTest = {
  operator: "equals" | "not_equals" | "greater_than" | "less_than";
  value: number;
};

/** Risk levels are ordered NONE < LOW < MEDIUM < HIGH for greater_than / less_than. */
export type RiskTest =
  ChoiceTest<RiskLevel> | { operator: "greater_than" | "less_than"; value: RiskLevel };

export const PAYMENT_STATES = [
  "paid",
  "authorized",
  "partially_paid",
  "pending",
  "partially_refunded",
  "refunded",
  "voided",
  "expired",
] as const;
/** Shopify's displayFinancialStatus in the merchant's words. */
export type PaymentState = (typeof PAYMENT_STATES)[number];

// ---------------------------------------------------------------------------------------------
// Conditions.

/** Conditions about one line: evaluated per fulfillment order line, then quantified by `Rule.lines`. */
export type LineCondition =
  | ({ field: "product_type" } & TextTest)
  | ({ field: "vendor" } & TextTest)
  | ({ field: "sku" } & TextTest)
  | ({ field: "product_tag" } & TagTest)
  | ({ field: "variant_option"; optionName: string } & (ChoiceTest | PresenceTest))
  | { field: "requires_shipping"; operator: "equals"; value: boolean }
  | { field: "gift_card"; operator: "equals"; value: boolean };

/** Conditions about the order, or about the fulfillment order as a whole. */
export type OrderCondition =
  | ({ field: "order_tag" } & TagTest)
  | ({ field: "customer_tag" } & TagTest)
  | ({ field: "order_total"; currencyCode?: string } & NumberTest)
  | ({ field: "destination_country" } & (ChoiceTest | PresenceTest))
  | ({ field: "destination_province" } & (ChoiceTest | PresenceTest))
  | ({ field: "shipping_method" } & TextTest)
  | ({ field: "risk_level" } & RiskTest)
  | ({ field: "payment_state" } & ChoiceTest<PaymentState>)
  | ({ field: "sales_channel" } & TextTest)
  /** Whether an extra charge of the order waits for payment or was paid (extra-charge.ts). */
  | ({ field: "extra_charge" } & ChoiceTest<ExtraChargeState>)
  /** Location ids. */
  | ({ field: "assigned_location" } & ChoiceTest)
  /** Fulfilment service handles; exists=false means a location the merchant fulfils. */
  | ({ field: "fulfilment_service" } & (ChoiceTest | PresenceTest));

export type Condition = LineCondition | OrderCondition;
export type ConditionField = Condition["field"];
export type LineConditionField = LineCondition["field"];

export const LINE_CONDITION_FIELDS: readonly LineConditionField[] = [
  "product_type",
  "vendor",
  "sku",
  "product_tag",
  "variant_option",
  "requires_shipping",
  "gift_card",
];

export const CONDITION_FIELDS: readonly ConditionField[] = [
  ...LINE_CONDITION_FIELDS,
  "order_tag",
  "customer_tag",
  "order_total",
  "destination_country",
  "destination_province",
  "shipping_method",
  "risk_level",
  "payment_state",
  "sales_channel",
  "assigned_location",
  "fulfilment_service",
  "extra_charge",
];

export function isLineCondition(condition: Condition): condition is LineCondition {
  return (LINE_CONDITION_FIELDS as readonly string[]).includes(condition.field);
}

// ---------------------------------------------------------------------------------------------
// Actions.

export type SplitBy =
  /** Route each line to the first location whose capability profile covers it. */
  | { by: "capability" }
  | { by: "vendor" }
  /** Ship the units in stock now; the rest go to a fulfillment order held until stock arrives. */
  | { by: "stock" }
  /** Split off the lines that satisfy these conditions (the rule's own line conditions when absent). */
  | { by: "line_condition"; match?: "all" | "any"; conditions?: LineCondition[] };

export type Action =
  | { type: "fulfil_automatically"; notifyCustomer?: boolean }
  | { type: "hold_for_review"; note?: string }
  | { type: "hold"; reason: FulfillmentHoldReason; note?: string; releaseAfterMinutes?: number }
  | { type: "release_holds"; placedBy: "this_app" | "anyone" }
  | ({ type: "split" } & SplitBy)
  | { type: "merge" }
  | { type: "move"; locationId: string }
  | {
      type: "submit_fulfilment_request";
      /** For the lab; the order's personalisation (line item properties) is added below it. */
      message?: string;
      notifyCustomer?: boolean;
      /** What happens when the service rejects the request; absent = it needs attention. */
      onRejected?: RejectionFallback;
    }
  /** "before_lapse": once the authorization lapses within Settings' warning window. */
  | { type: "capture_payment"; when: "now" | "on_approval" | "on_fulfilment" | "before_lapse" }
  | { type: "add_order_tags"; tags: string[] }
  | { type: "add_staff_note"; note: string }
  /** Close the order once everything is fulfilled ("fulfilled") or also delivered ("delivered"). */
  | { type: "archive_order"; when: "fulfilled" | "delivered" };

export type ActionType = Action["type"];

/** Actions that change which fulfillment order a line is in, or where it is: one per rule. */
export const ROUTING_ACTIONS = ["split", "merge", "move"] as const satisfies readonly ActionType[];
/** Actions that send a fulfillment order on its way: one per rule. */
export const DISPOSITION_ACTIONS = [
  "fulfil_automatically",
  "submit_fulfilment_request",
] as const satisfies readonly ActionType[];

// ---------------------------------------------------------------------------------------------
// Rules and settings.

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  /** The merchant's priority: lower first. Rules at the same position run in id order. */
  position: number;
  /** Whether all conditions must hold, or any one. A rule without conditions matches everything. */
  match: "all" | "any";
  /** Whether the line conditions must hold on any line of the fulfillment order, or on every line. */
  lines: "any" | "every";
  conditions: Condition[];
  actions: Action[];
  /**
   * "Keep checking later rules": by default the first matching rule decides for a fulfillment
   * order; with this set, later matching rules add what this one leaves undecided.
   */
  keepChecking: boolean;
}

export type CapturePolicy = "on_paid" | "on_approval" | "on_fulfilment" | "never";

/**
 * A rejected fulfilment request's fallback: wait for the merchant with the lab's reason, move it
 * to another location or lab (where the rules decide again), or fulfil it at one of the merchant's
 * own locations.
 */
export type RejectionFallback =
  | { then: "needs_attention" }
  | { then: "move"; locationId: string }
  | { then: "fulfil"; locationId: string };

export interface RoutingSettings {
  /** What happens to a fulfillment order the rules do not send on its way. */
  defaultMode: "manual" | "automatic";
  capturePolicy: CapturePolicy;
  notifyCustomer: boolean;
  /** Reviews are released by themselves this many minutes after the order was placed; null = never. */
  autoReleaseAfterMinutes: number | null;
  /** For fulfillment orders with nothing to ship (downloads, gift cards), instead of defaultMode. */
  digitalDownloads: "automatic" | "review";
  /**
   * Warn this many hours before an authorization lapses; "capture before it lapses" captures
   * within this window. Absent: AUTHORIZATION_WARNING_HOURS.
   */
  authorizationWarnHours?: number;
}

/** The same defaults a newly installed shop gets in the database. */
export const DEFAULT_SETTINGS: RoutingSettings = {
  defaultMode: "manual",
  capturePolicy: "on_fulfilment",
  notifyCustomer: true,
  autoReleaseAfterMinutes: null,
  digitalDownloads: "automatic",
  authorizationWarnHours: AUTHORIZATION_WARNING_HOURS,
};

/** Sorts by the merchant's priority; ties by id, so the order rules are passed in never matters. */
export function compareRules(
  a: Pick<Rule, "position" | "id">,
  b: Pick<Rule, "position" | "id">,
): number {
  if (a.position !== b.position) return a.position - b.position;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
