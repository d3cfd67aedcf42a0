// Dry runs: the Plan the rules would make for any order, past or present, and what a rule change would change.
import type { CapabilityProfile } from "./capability";
import { planOrder, type AttentionReason, type Plan, type PlanOptions } from "./plan";
import type { Rule, RoutingSettings } from "./rules";
import type { OrderSnapshot } from "./snapshot";
import type { Step, StepWhy } from "./steps";
import { engineSaid, type Words } from "./words";

export interface DryRunOptions {
  /** Defaults to when the order was placed: a past order is judged as it stood then, not by today's clock. */
  now?: PlanOptions["now"];
  approvals?: PlanOptions["approvals"];
  /**
   * Shopify's answer on where the work may move and what may merge (ADR 099): a dry run shows the
   * move Shopify would refuse as the router's trace says it, not as a move the router never sends.
   */
  shopify?: PlanOptions["shopify"];
}

/** The same Plan `plan` makes, flagged as a dry run so nothing ever executes it. */
export function dryRun(
  snapshot: OrderSnapshot,
  rules: readonly Rule[],
  settings: RoutingSettings,
  profiles: readonly CapabilityProfile[],
  options: DryRunOptions = {},
): Plan {
  const planOptions: PlanOptions = { now: options.now ?? snapshot.order.createdAt };
  if (options.approvals) planOptions.approvals = options.approvals;
  if (options.shopify) planOptions.shopify = options.shopify;
  return planOrder(snapshot, rules, settings, profiles, planOptions, true);
}

/** The trace's sentences for what Shopify would not take, where the plan goes on without it. */
const SHOPIFY_REFUSES: ReadonlySet<string> = new Set([
  "engine.explain.moveRefusedByShopify",
  "engine.explain.mergeNotListedByShopify",
]);

/**
 * What Shopify would refuse of what the rules want, in the trace's words: a move it will not take
 * (the work goes to the next location instead) and a fulfillment order it will not merge. A
 * refusal that leaves the work waiting for the merchant is in the plan's needsAttention.
 */
export function shopifyWouldRefuse(plan: Plan): Words[] {
  return plan.explanation.flatMap((e) =>
    typeof e.text !== "string" && SHOPIFY_REFUSES.has(e.text.key) ? [e.text] : [],
  );
}

export interface PlanDiff {
  orderId: string;
  orderName: string;
  changed: boolean;
  /** Steps only the proposed plan has. */
  added: Step[];
  /** Steps only the current plan has. */
  removed: Step[];
  unchanged: Step[];
  /** The same step (same key), planned for a different reason. */
  reasonChanged: { step: Step; before: StepWhy }[];
  attentionAdded: AttentionReason[];
  attentionRemoved: AttentionReason[];
  /** Fulfillment orders whose matching rules differ. */
  matchedRulesChanged: { fulfillmentOrderId: string; before: string[]; after: string[] }[];
  /** One line per difference, as Words a screen says in the admin's language. */
  summary: Words[];
}

function attentionKey(reason: AttentionReason): string {
  return [
    reason.code,
    reason.fulfillmentOrderId ?? "",
    reason.lineItemId ?? "",
    JSON.stringify(reason.message),
  ].join("|");
}

/**
 * What would change between two plans of one order. Steps are compared by key, and keys are
 * content hashes, so "same key" means "the same change to Shopify", whichever rule asks for it.
 */
export function diffPlans(current: Plan, proposed: Plan): PlanDiff {
  const before = new Map(current.steps.map((step) => [step.key, step]));
  const after = new Map(proposed.steps.map((step) => [step.key, step]));
  const added = proposed.steps.filter((step) => !before.has(step.key));
  const removed = current.steps.filter((step) => !after.has(step.key));
  const unchanged = proposed.steps.filter((step) => before.has(step.key));
  const reasonChanged = unchanged.flatMap((step) => {
    const old = before.get(step.key);
    return old && JSON.stringify(old.why.text) !== JSON.stringify(step.why.text)
      ? [{ step, before: old.why }]
      : [];
  });
  const attentionBefore = new Set(current.needsAttention.map(attentionKey));
  const attentionAfter = new Set(proposed.needsAttention.map(attentionKey));
  const attentionAdded = proposed.needsAttention.filter(
    (r) => !attentionBefore.has(attentionKey(r)),
  );
  const attentionRemoved = current.needsAttention.filter(
    (r) => !attentionAfter.has(attentionKey(r)),
  );

  const rulesBefore = new Map(
    current.fulfillmentOrders.map((fo) => [fo.fulfillmentOrderId, fo.matchedRuleIds]),
  );
  const matchedRulesChanged = proposed.fulfillmentOrders.flatMap((fo) => {
    const old = rulesBefore.get(fo.fulfillmentOrderId) ?? [];
    return old.join(",") === fo.matchedRuleIds.join(",")
      ? []
      : [{ fulfillmentOrderId: fo.fulfillmentOrderId, before: old, after: fo.matchedRuleIds }];
  });

  const summary = [
    ...added.map((step) =>
      engineSaid("dryRun.wouldNow", { step: step.summary, why: step.why.text }),
    ),
    ...removed.map((step) =>
      engineSaid("dryRun.wouldNoLonger", { step: step.summary, why: step.why.text }),
    ),
    ...reasonChanged.map(({ step, before: was }) =>
      engineSaid("dryRun.newReason", { step: step.summary, was: was.text, why: step.why.text }),
    ),
    ...attentionAdded.map((r) => engineSaid("dryRun.wouldNeedAttention", { reason: r.message })),
    ...attentionRemoved.map((r) =>
      engineSaid("dryRun.wouldNoLongerNeedAttention", { reason: r.message }),
    ),
  ];
  const changed = summary.length > 0 || matchedRulesChanged.length > 0;
  return {
    orderId: proposed.orderId,
    orderName: proposed.orderName,
    changed,
    added,
    removed,
    unchanged,
    reasonChanged,
    attentionAdded,
    attentionRemoved,
    matchedRulesChanged,
    summary: changed && summary.length === 0 ? [engineSaid("dryRun.sameChanges")] : summary,
  };
}

export interface RuleChangePreview {
  orders: PlanDiff[];
  /** How many of the orders would be handled differently. */
  changedOrders: number;
}

/**
 * "Dry-run this rule set against the last N orders before saving": each order planned with the
 * current and the proposed rules, as it stood when it was placed unless `now` says otherwise.
 */
export function previewRuleChange(
  snapshots: readonly OrderSnapshot[],
  current: readonly Rule[],
  proposed: readonly Rule[],
  settings: RoutingSettings,
  profiles: readonly CapabilityProfile[],
  options: DryRunOptions = {},
): RuleChangePreview {
  const orders = snapshots.map((snapshot) =>
    diffPlans(
      dryRun(snapshot, current, settings, profiles, options),
      dryRun(snapshot, proposed, settings, profiles, options),
    ),
  );
  return { orders, changedOrders: orders.filter((diff) => diff.changed).length };
}
