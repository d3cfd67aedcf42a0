// The review queue's vocabulary, shared by the server and the screen: what each outcome is called
// and coloured, the filter and sort choices, and the URL search params that carry them.
import type { BadgeProps } from "@shopify/polaris";

/** The engine's outcomes as the read model stores them (app/fulfilment/route-order.server.ts). */
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

/** Finished work: shown only when the merchant asks for it ("include completed / cancelled"). */
export const COMPLETED_OUTCOMES: readonly Outcome[] = ["done"];
export const CANCELLED_OUTCOMES: readonly Outcome[] = ["cancelled"];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  in_review: "In review",
  held: "On hold",
  needs_attention: "Needs attention",
  waiting_for_you: "Ready for you to fulfil",
  routing: "Being routed",
  releasing: "Releasing",
  fulfilling: "Fulfilling",
  requesting: "Sent to the lab",
  in_progress: "With the lab",
  done: "Completed",
  cancelled: "Cancelled",
};

type Tone = NonNullable<BadgeProps["tone"]>;
type Progress = NonNullable<BadgeProps["progress"]>;

/** Colours as in Shopify admin: yellow asks for the merchant, red is a problem, green is done. */
export const OUTCOME_BADGES: Record<Outcome, { tone?: Tone; progress: Progress }> = {
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
  cancelled: { progress: "complete" },
};

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

export function outcomeLabel(value: string): string {
  return isOutcome(value) ? OUTCOME_LABELS[value] : value.replace(/_/g, " ");
}

export const AGE_BUCKETS = ["under_1d", "1d_3d", "over_3d", "over_7d"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
export const AGE_LABELS: Record<AgeBucket, string> = {
  under_1d: "Placed in the last 24 hours",
  "1d_3d": "1 to 3 days old",
  over_3d: "Over 3 days old",
  over_7d: "Over 7 days old",
};

// Order names ("#999" before "#1000") and outcome codes do not sort the way a merchant reads them,
// so the queue sorts by time only.
export const SORT_KEYS = ["created", "updated"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";
/** Polaris IndexFilters sort values: "<key> <direction>". */
export type SortValue = `${SortKey} ${SortDirection}`;
export const DEFAULT_SORT: SortValue = "created asc";

export const SORT_OPTIONS: { label: string; value: SortValue; directionLabel: string }[] = [
  { label: "Order date", value: "created asc", directionLabel: "Oldest first" },
  { label: "Order date", value: "created desc", directionLabel: "Newest first" },
  { label: "Last change", value: "updated desc", directionLabel: "Most recent" },
  { label: "Last change", value: "updated asc", directionLabel: "Least recent" },
];

/** The bulk actions the queue offers, and what each acts on. */
export const BULK_ACTIONS = ["approve", "hold", "release", "capture", "archive"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const ORDER_LEVEL_ACTIONS: readonly BulkAction[] = ["capture", "archive"];

export const BULK_ACTION_LABELS: Record<BulkAction, string> = {
  approve: "Approve",
  hold: "Hold",
  release: "Release holds",
  capture: "Capture payment",
  archive: "Archive orders",
};

/** Params a saved view keeps: everything that filters or sorts, never the page. */
export const VIEW_PARAMS = [
  "q",
  "status",
  "reason",
  "rule",
  "location",
  "risk",
  "age",
  "tag",
  "completed",
  "cancelled",
  "sort",
] as const;

/** The filter and sort part of a search string in one canonical order, so equal views compare equal. */
export function canonicalViewQuery(search: string | URLSearchParams): string {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const out = new URLSearchParams();
  for (const name of VIEW_PARAMS) {
    const values = params
      .getAll(name)
      .map((v) => v.trim())
      .filter(Boolean)
      .sort();
    if (name === "sort" && values[0] === DEFAULT_SORT) continue;
    for (const value of values) out.append(name, value);
  }
  return out.toString();
}
