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
import { buildOrderView, type OrderView } from "./views";
import { PlanBuilder } from "./plan-builder";
import { noticeWorkLeftBehind, planFulfillmentOrder } from "./plan-fulfillment-order";
import { planOrderLevel } from "./plan-order-level";
import { planMerges } from "./plan-routing";
import type { Plan, PlacedByRepair, PlanOptions, ShopifyAllows } from "./plan-types";
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
  const approvals = new Set(options.approvals ?? []);
  const placed = placedByRepairs(snapshot, options.repairs ?? []);
  const awayFrom = new Set(options.repairs?.flatMap((r) => r.awayFrom ?? []));
  // Both passes plan the same order under the same rules; only what waits for a move differs.
  const pass = (waitingForMove: ReadonlyMap<string, string>) =>
    planPass({
      snapshot,
      order,
      compiled,
      settings,
      profiles,
      now,
      approvals,
      waitingForMove,
      placedByRepair: placed,
      repairedAwayFrom: awayFrom,
      writeNote: options.writeNote,
      shopify: options.shopify ?? {},
      movedByThisDecision: options.movedByThisDecision ?? {},
    });
  let b = pass(new Map());
  // A move of some lines to where the order has another fulfillment order may close that one
  // (ADR 030's moveToOccupied readings): whatever this round planned for it waits for the next.
  const waiting = occupiedByMoves(b);
  if (waiting.size > 0) b = pass(waiting);
  const o = snapshot.order;

  const steps = inOrder(b);
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

/**
 * Open fulfillment orders where a repair put them: at a repair's location, holding only lines that
 * repair moved (a fulfillment order that also holds other work is the rules' again).
 */
function placedByRepairs(
  snapshot: OrderSnapshot,
  repairs: readonly PlacedByRepair[],
): ReadonlySet<string> {
  const placed = new Set<string>();
  if (repairs.length === 0) return placed;
  for (const fo of snapshot.fulfillmentOrders) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    const left = fo.lineItems.filter((l) => l.remainingQuantity > 0);
    if (left.length === 0) continue;
    const by = repairs.some(
      (r) =>
        r.locationId === fo.assignedLocation.locationId &&
        left.every((l) => r.lineItemIds.includes(l.lineItemId)),
    );
    if (by) placed.add(fo.id);
  }
  return placed;
}

/** A pass's Steps in the order the executor applies them. */
function inOrder(b: PlanBuilder): Step[] {
  return b.planned
    .sort(
      (x, y) =>
        x.phase - y.phase ||
        compareGids(x.step.fulfillmentOrderId ?? "", y.step.fulfillmentOrderId ?? "") ||
        x.seq - y.seq,
    )
    .map((p) => p.step);
}

/** What one planning pass plans from. */
interface PassInput {
  snapshot: OrderSnapshot;
  order: OrderView;
  compiled: readonly CompiledRule[];
  settings: RoutingSettings;
  profiles: readonly CapabilityProfile[];
  now: number;
  approvals: ReadonlySet<string>;
  /** Fulfillment orders (→ the location's name) that a move of this round may close; nothing is planned for them. */
  waitingForMove: ReadonlyMap<string, string>;
  placedByRepair: ReadonlySet<string>;
  repairedAwayFrom: ReadonlySet<string>;
  writeNote: PlanOptions["writeNote"];
  shopify: ShopifyAllows;
  movedByThisDecision: NonNullable<PlanOptions["movedByThisDecision"]>;
}

/** One planning pass over the order. */
function planPass(input: PassInput): PlanBuilder {
  const { snapshot, order, compiled, settings, profiles, now, approvals, waitingForMove } = input;
  const b = new PlanBuilder(snapshot, order, settings, profiles, now, approvals, waitingForMove);
  b.placedByRepair = input.placedByRepair;
  b.repairedAwayFrom = input.repairedAwayFrom;
  b.writeNote = input.writeNote;
  b.shopify = input.shopify;
  b.movedByThisDecision = input.movedByThisDecision;
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
  return b;
}

/** The fulfillment orders a Step changes or sends (a merge, a fulfillment and a split name theirs in the input). */
function fulfillmentOrdersOf(step: Step): string[] {
  switch (step.kind) {
    case "fulfillmentOrderMerge":
      return step.input.fulfillmentOrderMergeInputs.flatMap((m) =>
        m.mergeIntents.map((i) => i.fulfillmentOrderId),
      );
    case "fulfillmentOrderSplit":
      return step.input.fulfillmentOrderSplits.map((s) => s.fulfillmentOrderId);
    case "fulfillmentCreate":
      return step.input.fulfillment.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId);
    default:
      return step.fulfillmentOrderId ? [step.fulfillmentOrderId] : [];
  }
}

/**
 * The fulfillment orders a pass planned Steps for that one of its moves may close: the order's
 * other active fulfillment orders at the destination of a move Shopify makes by its "second
 * scenario" (some of the lines, or a fulfillment order with something fulfilled), of which
 * fulfillmentOrderMove's description says "If the new location is already assigned to another
 * active fulfillment order, on the same order, then a new fulfillment order is created. The
 * existing fulfillment order is closed and line items are recreated in a new fulfillment order."
 * Which one closes it leaves open (ADR 030), so a Step on the one there could meet it closed.
 * Taken in the order they are applied: a move off a fulfillment order that waits for an earlier
 * move waits with it, and closes nothing (two fulfillment orders each moving lines to the other's
 * location move one after the other). Mapped to the destination's name.
 */
function occupiedByMoves(b: PlanBuilder): Map<string, string> {
  const waiting = new Map<string, string>();
  // Most plans move nothing: nothing to sort or look through.
  if (!b.planned.some((p) => p.step.kind === "fulfillmentOrderMove")) return waiting;
  const steps = inOrder(b);
  for (const step of steps) {
    if (step.kind !== "fulfillmentOrderMove" || waiting.has(step.input.id)) continue;
    const moved = b.snapshot.fulfillmentOrders.find((fo) => fo.id === step.input.id);
    const some = (step.input.fulfillmentOrderLineItems?.length ?? 0) > 0;
    const touched = !!moved?.lineItems.some((l) => l.remainingQuantity !== l.totalQuantity);
    if (!some && !touched) continue;
    for (const fo of b.snapshot.fulfillmentOrders) {
      if (fo.id === step.input.id || fo.assignedLocation.locationId !== step.input.newLocationId)
        continue;
      if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
      const touches = steps.some((other) => fulfillmentOrdersOf(other).includes(fo.id));
      if (touches) waiting.set(fo.id, b.locationName(step.input.newLocationId));
    }
  }
  return waiting;
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
