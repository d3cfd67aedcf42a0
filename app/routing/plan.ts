// The planner: snapshot + rules + settings + capability profiles → the Steps that bring Shopify to what the rules want.
// The parts: plan-builder (what a pass accumulates), plan-routing (merge, move, split), plan-holds,
// plan-send (fulfil or request), plan-fulfillment-order (one fulfillment order's round) and
// plan-order-level (tags, staff note, capture, archive).
import { compileRules, type CompiledRule } from "./conditions";
import { decide, type RuleDecision } from "./decide";
import type { Rule, RoutingSettings } from "./rules";
import type { CapabilityProfile } from "./capability";
import { compareGids, type OrderSnapshot } from "./snapshot";
import { STRUCTURAL_STEP_KINDS, type Step } from "./steps";
import { buildOrderView } from "./views";
import { PlanBuilder } from "./plan-builder";
import { noticeWorkLeftBehind, planFulfillmentOrder } from "./plan-fulfillment-order";
import { planOrderLevel } from "./plan-order-level";
import { planMerges } from "./plan-routing";
import type { Plan, PlanOptions } from "./plan-types";
import { engineSaid } from "./words";

export * from "./plan-types";
export { requestMessage } from "./plan-send";
export { finishedOutcome } from "./plan-builder";

function toMillis(now: PlanOptions["now"]): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === "number" ? now : Date.parse(now);
  if (Number.isNaN(ms)) throw new RangeError(`plan: "now" is not a valid time: ${String(now)}`);
  return ms;
}

/**
 * Plans what to do next for one order. Rules run in the merchant's priority order (ties by rule
 * id); the first rule that matches a fulfillment order decides for it unless it says "keep
 * checking"; whatever the matching rules leave undecided follows Settings. Steps are planned only
 * where Shopify's current state allows them and needs them, so planning again after they are
 * applied plans nothing new. Pure: the same arguments always give the same plan and keys.
 */
export function plan(
  snapshot: OrderSnapshot,
  rules: readonly Rule[],
  settings: RoutingSettings,
  profiles: readonly CapabilityProfile[],
  options: PlanOptions,
): Plan {
  return planOrder(snapshot, rules, settings, profiles, options, false);
}

export function planOrder(
  snapshot: OrderSnapshot,
  rules: readonly Rule[],
  settings: RoutingSettings,
  profiles: readonly CapabilityProfile[],
  options: PlanOptions,
  dryRun: boolean,
): Plan {
  const now = toMillis(options.now);
  const order = buildOrderView(snapshot);
  const compiled = compileRules(rules);
  const b = new PlanBuilder(
    snapshot,
    order,
    settings,
    profiles,
    now,
    new Set(options.approvals ?? []),
  );
  const o = snapshot.order;

  if (o.cancelledAt) {
    b.explain(null, engineSaid("explain.orderCanceled"));
  } else if (o.closed) {
    b.explain(null, engineSaid("explain.orderArchived"));
  } else {
    for (const unknown of order.unknownLines) {
      b.needsAttention({
        code: "incomplete_snapshot",
        fulfillmentOrderId: unknown.fulfillmentOrderId,
        lineItemId: unknown.lineItemId,
        message: engineSaid("attention.incompleteSnapshot"),
      });
    }
    const decisions: RuleDecision[] = [];
    for (const view of order.fulfillmentOrders) noticeWorkLeftBehind(b, view);
    for (const view of order.fulfillmentOrders) {
      if (view.fo.status === "CANCELLED" || view.lines.length === 0) continue;
      const decision = decide(view, order, compiled, settings);
      decisions.push(decision);
      b.remember(decision);
      b.explanation.push(...decision.explanation);
    }
    if (order.fulfillmentOrders.length === 0) {
      b.explain(null, engineSaid("explain.noFulfillmentOrders"));
    }
    planMerges(b, decisions, compiled);
    for (const decision of decisions) planFulfillmentOrder(b, decision);
    planOrderLevel(b, decisions);
  }

  const steps = b.planned
    .sort(
      (x, y) =>
        x.phase - y.phase ||
        compareGids(x.step.fulfillmentOrderId ?? "", y.step.fulfillmentOrderId ?? "") ||
        x.seq - y.seq,
    )
    .map((p) => p.step);
  return {
    orderId: o.id,
    orderName: o.name,
    dryRun,
    plannedAt: new Date(now).toISOString(),
    steps,
    explanation: b.explanation,
    needsAttention: b.attention,
    fulfillmentOrders: b.outcomes,
    replanAfterApply: needsReplan(steps, compiled),
    replanAt: b.replanAt === null ? null : new Date(b.replanAt).toISOString(),
  };
}

function uses(rules: readonly CompiledRule[], field: string): boolean {
  return rules.some((rule) => rule.orderConditions.some((c) => c.field === field));
}

function needsReplan(steps: readonly Step[], rules: readonly CompiledRule[]): boolean {
  return steps.some((step) => {
    if (STRUCTURAL_STEP_KINDS.includes(step.kind)) return true;
    switch (step.kind) {
      case "fulfillmentOrderReleaseHold":
      case "fulfillmentCreate":
        return true;
      case "tagsAdd":
        return uses(rules, "order_tag");
      case "orderCapture":
        return uses(rules, "payment_state");
      default:
        return false;
    }
  });
}
