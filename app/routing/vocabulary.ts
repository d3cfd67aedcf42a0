// The domain's words as ids, once, for screens and services alike; the catalogue (app/i18n) says them in each language.
import type { FulfillmentOrderOutcome } from "./plan";
import type { ActionType, CapturePolicy, ConditionField } from "./rules";

/**
 * What became of an order, as the read model stores it (app/fulfilment/route-order.server.ts):
 * the engine's fulfillment-order outcomes plus the states an order passes through around them.
 */
export const OUTCOMES = [
  "in_review",
  "held",
  "needs_attention",
  "waiting_for_you",
  "routing",
  "releasing",
  "fulfilling",
  "requesting",
  "in_progress",
  "done",
  "cancelled",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

// Every outcome the engine gives a fulfillment order is one the screens know how to name.
const _engineOutcomesAreOutcomes: readonly Outcome[] = [] as FulfillmentOrderOutcome[];
void _engineOutcomesAreOutcomes;

/** Finished work: shown only when the merchant asks for it ("include completed / cancelled"). */
export const COMPLETED_OUTCOMES: readonly Outcome[] = ["done"];
export const CANCELLED_OUTCOMES: readonly Outcome[] = ["cancelled"];

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

/** How a screen colours an outcome, as Shopify admin does: yellow asks, red is a problem, green is done. */
export type OutcomeTone = "attention" | "warning" | "critical" | "info" | "success" | undefined;
export type OutcomeProgress = "incomplete" | "partiallyComplete" | "complete";
export const OUTCOME_BADGES: Record<Outcome, { tone: OutcomeTone; progress: OutcomeProgress }> = {
  in_review: { tone: "attention", progress: "incomplete" },
  held: { tone: "warning", progress: "incomplete" },
  needs_attention: { tone: "critical", progress: "incomplete" },
  waiting_for_you: { tone: "attention", progress: "incomplete" },
  routing: { tone: "info", progress: "partiallyComplete" },
  releasing: { tone: "info", progress: "partiallyComplete" },
  fulfilling: { tone: "info", progress: "partiallyComplete" },
  requesting: { tone: "info", progress: "partiallyComplete" },
  in_progress: { tone: "info", progress: "partiallyComplete" },
  done: { tone: "success", progress: "complete" },
  cancelled: { tone: undefined, progress: "complete" },
};

/** How a condition compares: the ids rules store. */
export const OPERATORS = [
  "equals",
  "not_equals",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "exists",
  "greater_than",
  "less_than",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Operator words are said differently for some fields: tags are "included", risk is "higher". */
export type OperatorWord =
  | Operator
  | `tags.${"contains" | "not_contains" | "in" | "not_in" | "exists"}`
  | `risk.${"greater_than" | "less_than"}`;

const TAG_FIELDS: readonly string[] = ["product_tag", "order_tag", "customer_tag"];

/** The catalogue id of the words for `operator` on `field` (`operator.<id>` in app/i18n). */
export function operatorWord(field: ConditionField | "", operator: string): OperatorWord | null {
  if (!(OPERATORS as readonly string[]).includes(operator)) return null;
  const op = operator as Operator;
  if (
    TAG_FIELDS.includes(field) &&
    (op === "contains" ||
      op === "not_contains" ||
      op === "in" ||
      op === "not_in" ||
      op === "exists")
  ) {
    return `tags.${op}`;
  }
  if (field === "risk_level" && (op === "greater_than" || op === "less_than")) return `risk.${op}`;
  return op;
}

/** How old an order is, as the queue filters it. */
export const AGE_BUCKETS = ["under_1d", "1d_3d", "over_3d", "over_7d"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** What the merchant can do to many orders at once, and what each acts on. */
export const BULK_ACTIONS = [
  "approve",
  "hold",
  "release",
  "capture",
  "archive",
  "reroute",
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** Act on each order once, not on each of its fulfillment orders: Route again decides the whole order. */
export const ORDER_LEVEL_ACTIONS: readonly BulkAction[] = ["capture", "archive", "reroute"];

/** What a rule can do, in the order the rule editor offers them (`action.<id>` in app/i18n). */
export const ACTION_TYPES = [
  "fulfil_automatically",
  "hold_for_review",
  "hold",
  "release_holds",
  "split",
  "merge",
  "move",
  "submit_fulfilment_request",
  "capture_payment",
  "add_order_tags",
  "add_staff_note",
  "archive_order",
] as const satisfies readonly ActionType[];
// Every kind of action the rules know is offered: a new one fails the typecheck here.
const _everyActionOffered: Record<ActionType, true> = Object.fromEntries(
  ACTION_TYPES.map((type) => [type, true]),
) as Record<(typeof ACTION_TYPES)[number], true>;
void _everyActionOffered;

/** How a rule splits a fulfillment order, when it captures, when it archives, whose holds it releases. */
export const SPLIT_BY = ["capability", "vendor", "stock", "line_condition"] as const;
export const CAPTURE_WHEN = ["now", "on_approval", "on_fulfilment", "before_lapse"] as const;
export const ARCHIVE_WHEN = ["fulfilled", "delivered"] as const;
export const RELEASE_PLACED_BY = ["this_app", "anyone"] as const;

export function isBulkAction(value: string): value is BulkAction {
  return (BULK_ACTIONS as readonly string[]).includes(value);
}

// Order names ("#999" before "#1000") and outcome codes do not sort the way a merchant reads them,
// so the queue sorts by time only.
export const SORT_KEYS = ["created", "updated"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";
/** Polaris IndexFilters sort values: "<key> <direction>", in the order the screen offers them. */
export type SortValue = `${SortKey} ${SortDirection}`;
export const SORT_VALUES: readonly SortValue[] = [
  "created asc",
  "created desc",
  "updated desc",
  "updated asc",
];
export const DEFAULT_SORT: SortValue = "created asc";

/** When Settings capture authorized payments where no rule says. */
export const CAPTURE_POLICIES = [
  "on_paid",
  "on_approval",
  "on_fulfilment",
  "never",
] as const satisfies readonly CapturePolicy[];

/**
 * The read model's rule column when no rule decided and Settings did: a code the screens say in
 * the admin's language, and the value the queue's rule filter matches.
 */
export const DECIDED_BY_SETTINGS = "Settings";

/** What made a decision, as the decision log stores it; the catalogue's `order.trace.trigger` says each. */
export const DECISION_TRIGGERS = [
  "webhook",
  "reconciliation",
  "timer",
  "merchant",
  "bulk",
  "repair",
  "service",
  "stock",
] as const;
export type DecisionTrigger = (typeof DECISION_TRIGGERS)[number];
