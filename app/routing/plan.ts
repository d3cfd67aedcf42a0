// The planner: snapshot + rules + settings + capability profiles → the Steps that bring Shopify to what the rules want.
import {
  chooseLocation,
  describeNoLocation,
  profilesInPreferenceOrder,
  type CapabilityProfile,
} from "./capability";
import {
  compileLineCondition,
  compileRules,
  describeLine,
  quote,
  type CompiledRule,
  type LineTest,
} from "./conditions";
import {
  decide,
  defaultReviewHold,
  describeAction,
  type Attributed,
  type DispositionAction,
  type Explanation,
  type RoutingAction,
  type RuleDecision,
  type WantedHold,
} from "./decide";
import {
  DEFAULT_REVIEW_HOLD_HANDLE,
  MAX_HOLDS_PER_APP,
  isGateHold,
  plannedHoldPurpose,
  ruleHoldHandle,
} from "./holds";
import type { LineCondition, Rule, RoutingSettings } from "./rules";
import {
  FULFILLMENT_ORDER_ACTIONS as ACTIONS,
  compareGids,
  type FulfillmentHold,
  type FulfillmentOrder,
  type OrderSnapshot,
} from "./snapshot";
import {
  makeStep,
  STRUCTURAL_STEP_KINDS,
  type FulfillmentOrderLineItemInput,
  type Step,
  type StepWhy,
} from "./steps";
import {
  buildOrderView,
  norm,
  type FulfillmentOrderView,
  type LineView,
  type OrderView,
} from "./views";

export type { Explanation } from "./decide";

export interface PlanOptions {
  /** The planner's clock: hold delays are measured against it. Never read from the system inside the engine. */
  now: Date | string | number;
  /**
   * Fulfillment orders the merchant approved. Their review holds and rule holds are lifted and
   * stay lifted on every later plan; stock holds are not (approval does not make stock).
   */
  approvals?: readonly string[];
}

export type AttentionCode =
  | "no_capable_location"
  | "location_not_found"
  | "not_allowed_by_shopify"
  | "fulfilment_request_rejected"
  | "authorization_expired"
  | "too_many_holds"
  | "incomplete_snapshot"
  | "work_left_behind";

/** Something the engine cannot decide or do; the order shows as "needs attention" with this text. */
export interface AttentionReason {
  code: AttentionCode;
  fulfillmentOrderId: string | null;
  lineItemId: string | null;
  ruleId: string | null;
  message: string;
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

const PHASE = {
  fulfillmentOrderMerge: 0,
  fulfillmentOrderSplit: 1,
  fulfillmentOrderMove: 1,
  // Repairs take work back from a lab before anything else happens to it.
  fulfillmentOrderCancel: 0,
  fulfillmentOrderSubmitCancellationRequest: 0,
  fulfillmentOrderHold: 2,
  fulfillmentOrderReleaseHold: 3,
  fulfillmentOrderSubmitFulfillmentRequest: 4,
  fulfillmentCreate: 4,
  tagsAdd: 5,
  orderUpdate: 6,
  orderCapture: 7,
  orderClose: 8,
  // A merchant's cancel: after holds are released and requests withdrawn.
  orderCancel: 9,
  // A remake: the replacement's draft, then its completion.
  draftOrderCreate: 10,
  draftOrderComplete: 11,
} as const satisfies Record<Step["kind"], number>;

function toMillis(now: PlanOptions["now"]): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === "number" ? now : Date.parse(now);
  if (Number.isNaN(ms)) throw new RangeError(`plan: "now" is not a valid time: ${String(now)}`);
  return ms;
}

function supports(fo: FulfillmentOrder, action: string): boolean {
  return fo.supportedActions.includes(action);
}

function lineInputs(lines: readonly LineView[]): FulfillmentOrderLineItemInput[] {
  return lines.map((line) => ({ id: line.foLine.id, quantity: line.foLine.remainingQuantity }));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function settingsWhy(what: string): StepWhy {
  return {
    source: "settings",
    ruleId: null,
    ruleName: null,
    text: `Settings: ${what}`,
    matched: null,
  };
}

function stateWhy(source: "approval" | "reconcile" | "settings", text: string): StepWhy {
  return { source, ruleId: null, ruleName: null, text, matched: null };
}

type Phase =
  | "actionable"
  | "finished"
  | "scheduled"
  | "with_service"
  | "rejected"
  | "in_progress"
  | "incomplete";

function phaseOf(fo: FulfillmentOrder): Phase {
  if (fo.status === "CLOSED" || fo.status === "CANCELLED") return "finished";
  if (fo.status === "SCHEDULED") return "scheduled";
  if (fo.status === "INCOMPLETE") return "incomplete";
  switch (fo.requestStatus) {
    case "SUBMITTED":
    case "ACCEPTED":
    case "CANCELLATION_REQUESTED":
    case "CANCELLATION_REJECTED":
      return "with_service";
    case "REJECTED":
      return "rejected";
    default:
      break;
  }
  if (fo.status === "IN_PROGRESS") return "in_progress";
  return "actionable";
}

const splitTestCache = new WeakMap<object, LineTest[]>();

function splitTests(
  action: Extract<RoutingAction, { by: "line_condition" }>,
  conditions: LineCondition[],
): LineTest[] {
  let tests = splitTestCache.get(action);
  if (!tests) {
    tests = conditions.map(compileLineCondition);
    splitTestCache.set(action, tests);
  }
  return tests;
}

interface Planned {
  step: Step;
  phase: number;
  seq: number;
}

/** Everything one planning pass accumulates. */
class PlanBuilder {
  readonly planned: Planned[] = [];
  readonly explanation: Explanation[] = [];
  readonly attention: AttentionReason[] = [];
  readonly outcomes: FulfillmentOrderDecision[] = [];
  /** Fulfillment orders Shopify is asked to restructure this round: nothing else is planned for them. */
  readonly inFlux = new Set<string>();
  /** Per fulfillment order: has it been approved to go by everyone who must (merchant and service)? */
  readonly approvedToGo = new Map<string, boolean>();
  replanAt: number | null = null;
  /** A closed or cancelled fulfillment order still carries work no open one has taken over. */
  workLeftBehind = false;

  constructor(
    readonly snapshot: OrderSnapshot,
    readonly order: OrderView,
    readonly settings: RoutingSettings,
    readonly profiles: readonly CapabilityProfile[],
    readonly now: number,
    readonly approvals: ReadonlySet<string>,
  ) {}

  get orderId(): string {
    return this.snapshot.order.id;
  }

  add(step: Step): void {
    this.planned.push({ step, phase: PHASE[step.kind], seq: this.planned.length });
  }

  explain(fulfillmentOrderId: string | null, text: string, ruleId: string | null = null): void {
    this.explanation.push({ fulfillmentOrderId, ruleId, text });
  }

  needsAttention(
    reason: Omit<AttentionReason, "lineItemId" | "ruleId"> & Partial<AttentionReason>,
  ): void {
    this.attention.push({ lineItemId: null, ruleId: null, ...reason });
  }

  waitUntil(ms: number): void {
    if (this.replanAt === null || ms < this.replanAt) this.replanAt = ms;
  }

  locationName(id: string): string {
    return this.order.locationsById.get(id)?.name ?? id;
  }

  /** Why each rule matched: per fulfillment order, and the first time for order-level steps. */
  readonly because = new Map<string, string>();

  remember(decision: RuleDecision): void {
    for (const [ruleId, text] of decision.because) {
      this.because.set(`${decision.view.fo.id}|${ruleId}`, text);
      if (!this.because.has(ruleId)) this.because.set(ruleId, text);
    }
  }

  ruleWhy(rule: CompiledRule, what: string, fulfillmentOrderId: string | null): StepWhy {
    const id = rule.rule.id;
    return {
      source: "rule",
      ruleId: id,
      ruleName: rule.rule.name,
      text: `Rule ${quote(rule.rule.name)}: ${what}`,
      matched:
        (fulfillmentOrderId && this.because.get(`${fulfillmentOrderId}|${id}`)) ||
        this.because.get(id) ||
        null,
    };
  }
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
    b.explain(null, "The order was cancelled, so nothing is done with it.");
  } else if (o.closed) {
    b.explain(null, "The order is archived, so nothing is done with it.");
  } else {
    for (const unknown of order.unknownLines) {
      b.needsAttention({
        code: "incomplete_snapshot",
        fulfillmentOrderId: unknown.fulfillmentOrderId,
        lineItemId: unknown.lineItemId,
        message:
          "A fulfillment order line refers to a line item the order read did not include; it is left alone until the order is read again.",
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
      b.explain(null, "Shopify has not created fulfillment orders for this order yet.");
    }
    planMerges(b, decisions);
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

function needsReplan(steps: readonly Step[], rules: readonly CompiledRule[]): boolean {
  const uses = (field: string) =>
    rules.some((rule) => rule.orderConditions.some((c) => c.field === field));
  return steps.some((step) => {
    if (STRUCTURAL_STEP_KINDS.includes(step.kind)) return true;
    switch (step.kind) {
      case "fulfillmentOrderReleaseHold":
      case "fulfillmentCreate":
        return true;
      case "tagsAdd":
        return uses("order_tag");
      case "orderCapture":
        return uses("payment_state");
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Merging: only fulfillment orders whose own rules say "merge", at the same location.

function planMerges(b: PlanBuilder, decisions: readonly RuleDecision[]): void {
  const groups = new Map<string, RuleDecision[]>();
  for (const d of decisions) {
    if (d.routing?.action.type !== "merge" || phaseOf(d.view.fo) !== "actionable") continue;
    if (!supports(d.view.fo, ACTIONS.merge)) {
      b.explain(
        d.view.fo.id,
        "Shopify does not allow merging this fulfillment order now, so it stays as it is.",
        d.routing.rule.rule.id,
      );
      continue;
    }
    const key = d.view.fo.assignedLocation.locationId;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first || !first.routing) continue;
    if (group.length < 2) {
      b.explain(
        first.view.fo.id,
        `Nothing to merge: no other fulfillment order at ${quote(first.view.locationName)} is to be merged.`,
        first.routing.rule.rule.id,
      );
      continue;
    }
    const ids = group.map((d) => d.view.fo.id);
    b.add(
      makeStep(
        "fulfillmentOrderMerge",
        b.orderId,
        first.view.fo.id,
        {
          fulfillmentOrderMergeInputs: [
            { mergeIntents: ids.map((fulfillmentOrderId) => ({ fulfillmentOrderId })) },
          ],
        },
        `Merge ${group.length} fulfillment orders at ${quote(first.view.locationName)}`,
        b.ruleWhy(first.routing.rule, describeAction(first.routing.action), first.view.fo.id),
      ),
    );
    for (const id of ids) b.inFlux.add(id);
  }
}

function hasWorkLeft(fo: FulfillmentOrder): boolean {
  return fo.lineItems.some((line) => line.remainingQuantity > 0);
}

/**
 * Shopify's sources disagree on what an accepted cancellation request leaves: the webhook example
 * closes the fulfillment order (and the work comes back on a new one), the mutation's examples
 * show it CANCELLED with the work still on it. Work still on a closed or cancelled fulfillment
 * order that no open fulfillment order has taken over is never treated as finished.
 */
function noticeWorkLeftBehind(b: PlanBuilder, view: FulfillmentOrderView): void {
  const fo = view.fo;
  if (!view.finished || !hasWorkLeft(fo)) return;
  if (fo.status !== "CANCELLED" && fo.requestStatus !== "CANCELLATION_ACCEPTED") return;
  const takenOver = new Set(
    b.order.fulfillmentOrders
      .filter((other) => !other.finished)
      .flatMap((other) => other.fo.lineItems.map((line) => line.lineItemId)),
  );
  const left = fo.lineItems.filter(
    (line) => line.remainingQuantity > 0 && !takenOver.has(line.lineItemId),
  );
  if (left.length === 0) return;
  b.workLeftBehind = true;
  const units = left.reduce((sum, line) => sum + line.remainingQuantity, 0);
  const service = fo.fulfillmentService?.name ?? view.locationName;
  b.needsAttention({
    code: "work_left_behind",
    fulfillmentOrderId: fo.id,
    message: `${quote(service)} ${fo.requestStatus === "CANCELLATION_ACCEPTED" ? "accepted the cancellation" : "stopped"}, and ${plural(units, "item")} on the ${fo.status.toLowerCase()} fulfillment order at ${quote(view.locationName)} ${units === 1 ? "is" : "are"} still to be fulfilled; Shopify shows them on no open fulfillment order, so fulfill or refund them in Shopify admin.`,
  });
}

// ---------------------------------------------------------------------------------------------
// One fulfillment order: route, then holds, then send it on its way.

function planFulfillmentOrder(b: PlanBuilder, d: RuleDecision): void {
  const view = d.view;
  const fo = view.fo;
  const outcome = (value: FulfillmentOrderOutcome, usedDefault = false) =>
    b.outcomes.push({
      fulfillmentOrderId: fo.id,
      locationName: view.locationName,
      matchedRuleIds: d.matched.map((r) => r.rule.id),
      usedDefault,
      outcome: value,
    });

  const phase = phaseOf(fo);
  if (phase === "rejected") {
    const fallback = planRejectionFallback(b, d);
    if (fallback) {
      b.approvedToGo.set(fo.id, false);
      outcome(fallback);
      return;
    }
  }
  if (phase !== "actionable") {
    b.approvedToGo.set(
      fo.id,
      phase === "finished" ||
        (phase === "with_service" && fo.requestStatus === "ACCEPTED") ||
        phase === "in_progress",
    );
    explainSettled(b, view, phase);
    outcome(
      phase === "finished" ? "done" : phase === "rejected" ? "needs_attention" : "in_progress",
    );
    return;
  }
  b.approvedToGo.set(fo.id, false);
  if (b.inFlux.has(fo.id)) {
    b.explain(fo.id, "It is decided further once Shopify has merged it.");
    outcome("routing");
    return;
  }

  const routed = route(b, d);
  if (routed.structural) {
    b.explain(fo.id, "What happens next is decided once Shopify has made this change.");
    outcome("routing");
    return;
  }

  // Holds: what the rules want, less what approval and time have lifted.
  const approved = b.approvals.has(fo.id);
  const wanted: WantedHold[] = [...d.holds];
  if (routed.stockHold) wanted.push(routed.stockHold);
  let disposition: Attributed<DispositionAction> | "fulfil" | null = d.disposition;
  let usedDefault = false;
  if (disposition?.action.type === "submit_fulfilment_request" && !fo.fulfillmentService) {
    b.explain(
      fo.id,
      `Rule ${quote(disposition.rule.rule.name)}: no fulfilment request to send, ${quote(view.locationName)} is a location you fulfil yourself.`,
      disposition.rule.rule.id,
    );
    disposition = null;
  }
  if (!disposition) {
    usedDefault = true;
    const digital = view.lines.every((line) => !line.item.requiresShipping);
    if (digital) {
      disposition = "fulfil";
      const reviewedByRule = wanted.some((hold) => hold.purpose === "review");
      if (b.settings.digitalDownloads === "review" && !d.release && !reviewedByRule) {
        wanted.push(defaultReviewHold(b.settings, DEFAULT_REVIEW_HOLD_HANDLE));
      }
    } else if (b.settings.defaultMode === "automatic") {
      disposition = "fulfil";
    }
  }

  const kept: WantedHold[] = [];
  const expired = new Set<string>();
  let explainedApproval = false;
  for (const hold of wanted) {
    if (kept.some((k) => k.handle === hold.handle)) continue;
    if (approved && hold.purpose !== "stock") {
      if (!explainedApproval)
        b.explain(fo.id, "Approved by you, so review and rule holds are lifted.");
      explainedApproval = true;
      continue;
    }
    if (hold.releaseAfterMinutes !== null) {
      const ends = Date.parse(b.snapshot.order.createdAt) + hold.releaseAfterMinutes * 60_000;
      if (b.now >= ends) {
        expired.add(hold.handle);
        b.explain(
          fo.id,
          `${capitalise(hold.label)} ended: ${plural(hold.releaseAfterMinutes, "minute")} since the order was placed have passed.`,
          hold.rule?.rule.id ?? null,
        );
        continue;
      }
      b.waitUntil(ends);
    }
    kept.push(hold);
  }
  if (kept.length > MAX_HOLDS_PER_APP) {
    b.needsAttention({
      code: "too_many_holds",
      fulfillmentOrderId: fo.id,
      message: `Rules want ${kept.length} holds on the fulfillment order at ${quote(view.locationName)}; Shopify allows ${MAX_HOLDS_PER_APP}, so only the first ${MAX_HOLDS_PER_APP} are placed.`,
    });
    kept.length = MAX_HOLDS_PER_APP;
  }

  const ours: FulfillmentHold[] = [];
  const others: FulfillmentHold[] = [];
  for (const hold of fo.holds)
    (plannedHoldPurpose(hold) || isGateHold(hold) ? ours : others).push(hold);
  const keptHandles = new Set(kept.map((h) => h.handle));
  const toPlace = kept.filter((h) => !ours.some((o) => o.handle === h.handle));
  const toRelease = ours.filter((o) => !keptHandles.has(o.handle ?? ""));
  const releaseOthers = d.release?.action.placedBy === "anyone" ? others : [];

  for (const hold of kept) {
    if (!toPlace.includes(hold))
      b.explain(fo.id, `Already on hold: ${hold.label}.`, hold.rule?.rule.id ?? null);
  }
  for (const hold of toPlace) {
    if (!supports(fo, ACTIONS.hold)) {
      b.needsAttention({
        code: "not_allowed_by_shopify",
        fulfillmentOrderId: fo.id,
        ruleId: hold.rule?.rule.id ?? null,
        message: `Could not ${hold.label} at ${quote(view.locationName)}: Shopify does not allow a hold on it now (${fo.status.toLowerCase()}).`,
      });
      continue;
    }
    b.add(
      makeStep(
        "fulfillmentOrderHold",
        b.orderId,
        fo.id,
        {
          id: fo.id,
          fulfillmentHold: {
            reason: hold.reason,
            reasonNotes: hold.reasonNotes,
            handle: hold.handle,
            notifyMerchant: false,
          },
        },
        holdSummary(hold, view.locationName),
        hold.rule
          ? b.ruleWhy(hold.rule, hold.label, fo.id)
          : settingsWhy("digital downloads need your review"),
      ),
    );
  }

  const releasing = [...toRelease, ...releaseOthers];
  if (releasing.length > 0) {
    if (!supports(fo, ACTIONS.releaseHold)) {
      b.needsAttention({
        code: "not_allowed_by_shopify",
        fulfillmentOrderId: fo.id,
        ruleId: d.release?.rule.rule.id ?? null,
        message: `Could not release holds at ${quote(view.locationName)}: Shopify does not allow it now (${fo.status.toLowerCase()}).`,
      });
    } else {
      b.add(
        makeStep(
          "fulfillmentOrderReleaseHold",
          b.orderId,
          fo.id,
          { id: fo.id, holdIds: releasing.map((h) => h.id).sort(compareGids) },
          releasing.length === 1
            ? `Release the hold at ${quote(view.locationName)}`
            : `Release ${releasing.length} holds at ${quote(view.locationName)}`,
          releaseWhy(b, d, toRelease, releaseOthers, approved, expired),
        ),
      );
    }
  }

  const stillHeldByOthers = others.length - releaseOthers.length;
  if (kept.length > 0 || stillHeldByOthers > 0) {
    if (stillHeldByOthers > 0 && kept.length === 0) {
      const reasons = others
        .filter((h) => !releaseOthers.includes(h))
        .map((h) => h.reasonNotes || h.reason.toLowerCase());
      b.explain(fo.id, `Waiting: held by someone else (${reasons.join("; ")}).`);
    }
    outcome("held", usedDefault);
    return;
  }
  if (releasing.length > 0) {
    b.explain(fo.id, "It is sent on its way once the holds are released.");
    outcome("releasing", usedDefault);
    return;
  }
  if (routed.blocked) {
    outcome("needs_attention", usedDefault);
    return;
  }
  if (b.order.unknownLines.some((u) => u.fulfillmentOrderId === fo.id)) {
    outcome("needs_attention", usedDefault);
    return;
  }
  if (fo.status !== "OPEN") {
    b.explain(fo.id, `Waiting: it is ${fo.status.toLowerCase().replace(/_/g, " ")} on Shopify.`);
    outcome("held", usedDefault);
    return;
  }

  // Nothing holds it: merchant-managed lines count as approved to go.
  b.approvedToGo.set(fo.id, !fo.fulfillmentService);
  if (!disposition) {
    b.explain(fo.id, "Settings say manual fulfilment, so it waits for you to fulfil it.");
    outcome("waiting_for_you", true);
    return;
  }
  const sent = planDisposition(b, view, disposition);
  outcome(sent ?? "needs_attention", usedDefault);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function holdSummary(hold: WantedHold, locationName: string): string {
  switch (hold.purpose) {
    case "review":
      return `Hold for review at ${quote(locationName)}`;
    case "stock":
      return `Hold at ${quote(locationName)} until stock arrives`;
    case "rule":
      return `${capitalise(hold.label)} at ${quote(locationName)}`;
  }
}

function releaseWhy(
  b: PlanBuilder,
  d: RuleDecision,
  ours: readonly FulfillmentHold[],
  others: readonly FulfillmentHold[],
  approved: boolean,
  expired: ReadonlySet<string>,
): StepWhy {
  if (others.length > 0 && d.release)
    return b.ruleWhy(d.release.rule, describeAction(d.release.action), d.view.fo.id);
  if (ours.length > 0 && ours.every(isGateHold))
    return stateWhy("settings", "The rules have decided, so the release gate opens");
  if (approved && ours.some((h) => plannedHoldPurpose(h) !== "stock")) {
    return stateWhy("approval", "Approved by you");
  }
  if (ours.some((h) => expired.has(h.handle ?? ""))) {
    return stateWhy("reconcile", "The hold's time since the order was placed has passed");
  }
  if (ours.some((h) => plannedHoldPurpose(h) === "stock")) {
    return stateWhy("reconcile", "Everything is in stock now");
  }
  if (d.release) return b.ruleWhy(d.release.rule, describeAction(d.release.action), d.view.fo.id);
  return stateWhy("reconcile", "No rule asks for this hold any more");
}

function planDisposition(
  b: PlanBuilder,
  view: FulfillmentOrderView,
  disposition: Attributed<DispositionAction> | "fulfil",
): FulfillmentOrderOutcome | null {
  const fo = view.fo;
  const fromRule = disposition === "fulfil" ? null : disposition;
  const action: DispositionAction = fromRule ? fromRule.action : { type: "fulfil_automatically" };
  const notifyCustomer = action.notifyCustomer ?? b.settings.notifyCustomer;
  const why = (what: string) =>
    fromRule
      ? b.ruleWhy(fromRule.rule, what, fo.id)
      : settingsWhy(`${what} when no rule decides how it is sent`);
  const notAllowed = (what: string) => {
    b.needsAttention({
      code: "not_allowed_by_shopify",
      fulfillmentOrderId: fo.id,
      ruleId: fromRule?.rule.rule.id ?? null,
      message: `Could not ${what} at ${quote(view.locationName)}: Shopify does not allow it for this fulfillment order now.`,
    });
    return null;
  };
  const request = (message: string | undefined, extra: string): FulfillmentOrderOutcome | null => {
    if (!supports(fo, ACTIONS.requestFulfillment)) return notAllowed("send the fulfilment request");
    const service = fo.fulfillmentService?.name ?? view.locationName;
    b.add(
      makeStep(
        "fulfillmentOrderSubmitFulfillmentRequest",
        b.orderId,
        fo.id,
        message ? { id: fo.id, message, notifyCustomer } : { id: fo.id, notifyCustomer },
        `Send the fulfilment request to ${quote(service)}`,
        why(`${describeAction(action)}${extra}`),
      ),
    );
    return "requesting";
  };

  if (action.type === "submit_fulfilment_request")
    return request(requestMessage(action.message, view), "");
  if (supports(fo, ACTIONS.createFulfillment)) {
    const units = view.lines.reduce((sum, line) => sum + line.foLine.remainingQuantity, 0);
    b.add(
      makeStep(
        "fulfillmentCreate",
        b.orderId,
        fo.id,
        {
          fulfillment: {
            lineItemsByFulfillmentOrder: [
              { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lineInputs(view.lines) },
            ],
            notifyCustomer,
          },
        },
        `Mark ${plural(units, "item")} at ${quote(view.locationName)} as fulfilled (${notifyCustomer ? "customer notified" : "customer not notified"})`,
        why(describeAction(action)),
      ),
    );
    return "fulfilling";
  }
  if (fo.fulfillmentService) {
    // Since 2024-10 an app cannot fulfil what another fulfilment service owns: ask the service instead.
    return request(
      requestMessage(undefined, view),
      ` (${quote(fo.fulfillmentService.name)} owns it, so it is sent as a fulfilment request)`,
    );
  }
  return notAllowed("fulfil automatically");
}

/**
 * The request's message: the rule's words for the lab, then the order's personalisation (each
 * line's properties, such as the customer's crop) so the lab has what it needs to produce it.
 * Properties whose name starts with "_" are private to the shop, as in Shopify's themes.
 */
export function requestMessage(
  ruleMessage: string | undefined,
  view: FulfillmentOrderView,
): string | undefined {
  const personal = view.lines.flatMap((line) => {
    const shown = line.item.customAttributes.filter(
      (a) => !a.key.startsWith("_") && a.value !== null && a.value.trim() !== "",
    );
    if (shown.length === 0) return [];
    const name = line.item.variantTitle
      ? `${line.item.title} (${line.item.variantTitle})`
      : line.item.title;
    return [`${name} × ${line.quantity}: ${shown.map((a) => `${a.key}: ${a.value}`).join("; ")}`];
  });
  const parts = [ruleMessage?.trim() ?? "", ...personal].filter((part) => part !== "");
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/** A rejected request with a fallback in its rule: move it, or move it home and fulfil it there. */
function planRejectionFallback(b: PlanBuilder, d: RuleDecision): FulfillmentOrderOutcome | null {
  const chosen = d.disposition;
  if (chosen?.action.type !== "submit_fulfilment_request") return null;
  const fallback = chosen.action.onRejected;
  if (!fallback || fallback.then === "needs_attention") return null;
  const view = d.view;
  const fo = view.fo;
  const service = quote(fo.fulfillmentService?.name ?? view.locationName);
  const target = b.order.locationsById.get(fallback.locationId);
  const attention = (message: string) => {
    b.needsAttention({
      code: "fulfilment_request_rejected",
      fulfillmentOrderId: fo.id,
      ruleId: chosen.rule.rule.id,
      message,
    });
    return "needs_attention" as const;
  };
  if (!target)
    return attention(
      `${service} rejected the fulfilment request, and the location rule ${quote(chosen.rule.rule.name)} falls back to no longer exists.`,
    );
  if (fallback.then === "fulfil" && target.fulfillmentServiceHandle)
    return attention(
      `${service} rejected the fulfilment request; rule ${quote(chosen.rule.rule.name)} says fulfill it yourself at ${quote(target.name)}, but a fulfilment service owns that location.`,
    );
  if (!supports(fo, ACTIONS.move))
    return attention(
      `${service} rejected the fulfilment request; Shopify does not allow moving it to ${quote(target.name)} now.`,
    );
  b.add(
    makeStep(
      "fulfillmentOrderMove",
      b.orderId,
      fo.id,
      { id: fo.id, newLocationId: target.id },
      `${service} rejected it: move to ${quote(target.name)}`,
      b.ruleWhy(
        chosen.rule,
        `when the request is rejected, move it to ${quote(target.name)}`,
        fo.id,
      ),
    ),
  );
  if (fallback.then === "move") {
    b.inFlux.add(fo.id);
    return "routing";
  }
  // Moving a whole fulfillment order with nothing fulfilled keeps its id (fulfillmentOrderMove:
  // "the original fulfillment order will be moved to the new location"), so it is fulfilled next.
  const notifyCustomer = chosen.action.notifyCustomer ?? b.settings.notifyCustomer;
  b.add(
    makeStep(
      "fulfillmentCreate",
      b.orderId,
      fo.id,
      {
        fulfillment: {
          lineItemsByFulfillmentOrder: [
            { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lineInputs(view.lines) },
          ],
          notifyCustomer,
        },
      },
      `Mark it as fulfilled at ${quote(target.name)} (${notifyCustomer ? "customer notified" : "customer not notified"})`,
      b.ruleWhy(
        chosen.rule,
        `when the request is rejected, fulfill it at ${quote(target.name)}`,
        fo.id,
      ),
    ),
  );
  return "fulfilling";
}

function explainSettled(b: PlanBuilder, view: FulfillmentOrderView, phase: Phase): void {
  const fo = view.fo;
  const at = quote(view.locationName);
  switch (phase) {
    case "finished":
      b.explain(
        fo.id,
        `Fulfillment order at ${at} is ${fo.status === "CLOSED" ? "closed" : "cancelled"}; nothing to do.`,
      );
      return;
    case "scheduled":
      b.explain(
        fo.id,
        `Fulfillment order at ${at} is scheduled; it is decided when Shopify opens it.`,
      );
      return;
    case "incomplete":
      b.explain(fo.id, `Fulfillment order at ${at} is incomplete on Shopify; it is left for you.`);
      return;
    case "in_progress":
      b.explain(fo.id, `Fulfillment order at ${at} is in progress; nothing to do.`);
      return;
    case "with_service": {
      const state = fo.requestStatus.toLowerCase().replace(/_/g, " ");
      b.explain(
        fo.id,
        `Fulfillment order is with ${quote(fo.fulfillmentService?.name ?? view.locationName)} (request ${state}); it is not routed again.`,
      );
      return;
    }
    case "rejected":
      b.needsAttention({
        code: "fulfilment_request_rejected",
        fulfillmentOrderId: fo.id,
        message: `${quote(fo.fulfillmentService?.name ?? view.locationName)} rejected the fulfilment request; it waits for you rather than being sent again.`,
      });
      return;
    case "actionable":
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Routing: at most one split or move per fulfillment order per round, because Shopify gives the
// resulting fulfillment orders new ids that only the next read can tell.

interface Routed {
  structural: boolean;
  /** Set when nothing is in stock: hold until it is. */
  stockHold: WantedHold | null;
  /** The rules' routing cannot be carried out; the fulfillment order must not be sent as it is. */
  blocked: boolean;
}

const NOT_ROUTED: Routed = { structural: false, stockHold: null, blocked: false };

function route(b: PlanBuilder, d: RuleDecision): Routed {
  const routing = d.routing;
  if (!routing) return NOT_ROUTED;
  const { action, rule } = routing;
  const view = d.view;
  const fo = view.fo;
  const from = quote(view.locationName);
  const blockedBecause = (
    code: AttentionCode,
    message: string,
    lineItemId: string | null = null,
  ): Routed => {
    b.needsAttention({
      code,
      fulfillmentOrderId: fo.id,
      lineItemId,
      ruleId: rule.rule.id,
      message,
    });
    return { structural: false, stockHold: null, blocked: true };
  };

  const split = (lines: LineView[], what: string): Routed => {
    if (!supports(fo, ACTIONS.split)) {
      return blockedBecause(
        "not_allowed_by_shopify",
        `Could not ${what} at ${from}: Shopify does not allow splitting it now.`,
      );
    }
    b.add(
      makeStep(
        "fulfillmentOrderSplit",
        b.orderId,
        fo.id,
        {
          fulfillmentOrderSplits: [
            { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: lineInputs(lines) },
          ],
        },
        `Split ${plural(lines.length, "line")} off the fulfillment order at ${from} (${lines.map((l) => quote(l.item.title)).join(", ")})`,
        b.ruleWhy(rule, what, fo.id),
      ),
    );
    b.inFlux.add(fo.id);
    return { structural: true, stockHold: null, blocked: false };
  };

  const move = (locationId: string, because: string): Routed => {
    const to = quote(b.locationName(locationId));
    if (!supports(fo, ACTIONS.move)) {
      return blockedBecause(
        "not_allowed_by_shopify",
        `Could not move the fulfillment order from ${from} to ${to}: Shopify does not allow moving it now.`,
      );
    }
    b.add(
      makeStep(
        "fulfillmentOrderMove",
        b.orderId,
        fo.id,
        { id: fo.id, newLocationId: locationId },
        `Move the fulfillment order from ${from} to ${to}`,
        b.ruleWhy(rule, because, fo.id),
      ),
    );
    b.inFlux.add(fo.id);
    return { structural: true, stockHold: null, blocked: false };
  };

  switch (action.type) {
    case "merge":
      return NOT_ROUTED; // planned for all fulfillment orders together, in planMerges
    case "move": {
      if (!b.order.locationsById.has(action.locationId)) {
        return blockedBecause(
          "location_not_found",
          `Rule ${quote(rule.rule.name)} moves it to a location the shop no longer has; it stays at ${from} and waits for you.`,
        );
      }
      if (fo.assignedLocation.locationId === action.locationId) {
        b.explain(
          fo.id,
          `Already at ${from}, where rule ${quote(rule.rule.name)} sends it.`,
          rule.rule.id,
        );
        return NOT_ROUTED;
      }
      return move(
        action.locationId,
        describeAction(action, (id) => b.locationName(id)),
      );
    }
    case "split":
      switch (action.by) {
        case "capability":
          return routeByCapability(b, d, rule, split, move);
        case "vendor": {
          const groups = new Map<string, LineView[]>();
          for (const line of view.lines) {
            const vendor = line.vendor ?? "";
            groups.set(vendor, [...(groups.get(vendor) ?? []), line]);
          }
          const second = [...groups.values()][1];
          if (!second) return NOT_ROUTED;
          const vendor = second[0]?.item.vendor;
          return split(
            second,
            `split by vendor (${vendor ? quote(vendor) : "no vendor"} goes separately)`,
          );
        }
        case "stock": {
          const short = view.lines.filter(
            (line) =>
              line.foLine.inStockQuantity !== undefined &&
              line.foLine.inStockQuantity !== null &&
              line.foLine.inStockQuantity < line.foLine.remainingQuantity,
          );
          if (short.length === 0) return NOT_ROUTED;
          if (short.length < view.lines.length)
            return split(short, "ship what is in stock now, the rest later");
          return {
            structural: false,
            blocked: false,
            stockHold: {
              handle: ruleHoldHandle(rule.rule.id, "stock"),
              purpose: "stock",
              reason: "INVENTORY_OUT_OF_STOCK",
              reasonNotes:
                `Waiting for stock at ${view.locationName} (rule ${quote(rule.rule.name)})`.slice(
                  0,
                  255,
                ),
              releaseAfterMinutes: null,
              rule,
              label: "hold until stock arrives",
            },
          };
        }
        case "line_condition": {
          const conditions = action.conditions ?? rule.lineConditions;
          const match = action.match ?? rule.rule.match;
          const tests = action.conditions ? splitTests(action, conditions) : rule.lineTests;
          if (tests.length === 0) return NOT_ROUTED;
          const picked = view.lines.filter((line) =>
            match === "all" ? tests.every((t) => t(line)) : tests.some((t) => t(line)),
          );
          if (picked.length === 0 || picked.length === view.lines.length) return NOT_ROUTED;
          return split(picked, "split off the matching lines");
        }
      }
  }
  return NOT_ROUTED;
}

function routeByCapability(
  b: PlanBuilder,
  d: RuleDecision,
  rule: CompiledRule,
  split: (lines: LineView[], what: string) => Routed,
  move: (locationId: string, because: string) => Routed,
): Routed {
  const view = d.view;
  const current = view.fo.assignedLocation.locationId;
  const groups = new Map<string, LineView[]>();
  let unproducible = 0;
  for (const line of view.lines) {
    if (!line.item.requiresShipping) continue; // downloads and gift cards are not produced anywhere
    const choice = chooseLocation(line.item, b.profiles, (id) => b.order.locationsById.has(id));
    if (!choice.profile) {
      unproducible++;
      b.needsAttention({
        code: "no_capable_location",
        fulfillmentOrderId: view.fo.id,
        lineItemId: line.item.id,
        ruleId: rule.rule.id,
        message: `${capitalise(describeLine(line))}: ${describeNoLocation(choice.gaps)}.`,
      });
      continue;
    }
    const target = choice.profile.locationId;
    if (target === current) continue;
    groups.set(target, [...(groups.get(target) ?? []), line]);
  }
  for (const profile of profilesInPreferenceOrder(b.profiles)) {
    const lines = groups.get(profile.locationId);
    if (!lines) continue;
    const because = `split by capability: ${quote(profile.name)} is the first location that can produce ${lines.length === 1 ? "it" : "them"}`;
    // Split first and move the part whole in the next round: whole moves are the move Shopify
    // handles the same in every API version, and the split part gets its own id to move.
    return lines.length === view.lines.length
      ? move(profile.locationId, because)
      : split(lines, because);
  }
  if (unproducible > 0) return { structural: false, stockHold: null, blocked: true };
  b.explain(
    view.fo.id,
    `Every line is at a location that can produce it (${quote(view.locationName)}).`,
    rule.rule.id,
  );
  return NOT_ROUTED;
}

// ---------------------------------------------------------------------------------------------
// The order as a whole: tags, staff note, capture, archive.

function planOrderLevel(b: PlanBuilder, decisions: readonly RuleDecision[]): void {
  const o = b.snapshot.order;
  const byRank = <T extends { rule: CompiledRule }>(items: T[]) =>
    items.sort((x, y) => x.rule.rank - y.rule.rank);

  // Tags: every matching rule's tags, once, in priority order.
  const tagWishes = byRank(decisions.flatMap((d) => d.tags.map((t, i) => ({ ...t, i }))));
  const seenTags = new Set<string>();
  const newTags: string[] = [];
  let firstTagRule: CompiledRule | null = null;
  for (const wish of tagWishes) {
    for (const tag of wish.action.tags) {
      const key = norm(tag);
      if (seenTags.has(key)) continue;
      seenTags.add(key);
      if (b.order.orderTags.has(key)) continue;
      newTags.push(tag.trim());
      firstTagRule ??= wish.rule;
    }
  }
  if (newTags.length > 0 && firstTagRule) {
    b.add(
      makeStep(
        "tagsAdd",
        b.orderId,
        null,
        { id: o.id, tags: newTags },
        `Add order tags ${newTags.map(quote).join(", ")}`,
        b.ruleWhy(firstTagRule, `add order tags ${newTags.map(quote).join(", ")}`, null),
      ),
    );
  }

  // Staff note: each rule's line once; a line already in the note is not added again.
  const noteWishes = byRank(decisions.flatMap((d) => d.notes));
  const existing = o.note ?? "";
  const newLines: string[] = [];
  let firstNoteRule: CompiledRule | null = null;
  for (const wish of noteWishes) {
    const line = wish.action.note.trim();
    if (!line || existing.includes(line) || newLines.includes(line)) continue;
    newLines.push(line);
    firstNoteRule ??= wish.rule;
  }
  if (newLines.length > 0 && firstNoteRule) {
    const note = [existing.trimEnd(), ...newLines].filter((part) => part !== "").join("\n");
    b.add(
      makeStep(
        "orderUpdate",
        b.orderId,
        null,
        { input: { id: o.id, note } },
        `Add to the staff note: ${newLines.map(quote).join(", ")}`,
        b.ruleWhy(firstNoteRule, "add staff note", null),
      ),
    );
  }

  const live = decisions.filter((d) => d.view.fo.status !== "CANCELLED");
  // Work left on a closed or cancelled fulfillment order is not finished work.
  const allFulfilled =
    live.length > 0 &&
    !b.workLeftBehind &&
    live.every((d) => d.view.fo.status === "CLOSED" && !hasWorkLeft(d.view.fo));
  const approvedToGo =
    !b.workLeftBehind &&
    live.length > 0 &&
    live.every((d) => b.approvedToGo.get(d.view.fo.id) === true && !b.inFlux.has(d.view.fo.id));

  // Capture: the highest-priority rule that says when, else Settings.
  const captureChoice = byRank(decisions.flatMap((d) => (d.capture ? [d.capture] : [])))[0] ?? null;
  const when = captureChoice
    ? captureChoice.action.when
    : { on_paid: "now", on_approval: "on_approval", on_fulfilment: "on_fulfilment", never: null }[
        b.settings.capturePolicy
      ];
  const due =
    when === "now" ||
    (when === "on_approval" && approvedToGo) ||
    (when === "on_fulfilment" && allFulfilled);
  const open = o.capturable
    ? o.capturableTransactions.filter((t) => Number.parseFloat(t.amount.amount) > 0)
    : [];
  const captureWhy = (what: string) =>
    captureChoice ? b.ruleWhy(captureChoice.rule, what, null) : settingsWhy(what);
  if (open.length > 0) {
    if (when === null) {
      b.explain(null, "Settings say you capture payments yourself.");
    } else if (!due) {
      b.explain(
        null,
        when === "on_approval"
          ? "Payment is captured once every fulfillment order is approved (by you, and accepted by its fulfilment service)."
          : "Payment is captured once every fulfillment order is fulfilled.",
        captureChoice?.rule.rule.id ?? null,
      );
    } else {
      for (const transaction of [...open].sort((x, y) => compareGids(x.id, y.id))) {
        const expires = transaction.authorizationExpiresAt
          ? Date.parse(transaction.authorizationExpiresAt)
          : null;
        const money = `${transaction.amount.amount} ${transaction.amount.currencyCode}`;
        if (expires !== null && expires <= b.now) {
          b.needsAttention({
            code: "authorization_expired",
            fulfillmentOrderId: null,
            ruleId: captureChoice?.rule.rule.id ?? null,
            message: `The payment authorization for ${money} expired on ${transaction.authorizationExpiresAt}; it can no longer be captured.`,
          });
          continue;
        }
        b.add(
          makeStep(
            "orderCapture",
            b.orderId,
            null,
            {
              input: {
                id: o.id,
                parentTransactionId: transaction.id,
                amount: transaction.amount.amount,
                currency: transaction.amount.currencyCode,
              },
            },
            `Capture ${money}`,
            captureWhy(describeAction({ type: "capture_payment", when })),
          ),
        );
      }
    }
  }

  // Archive: only when every fulfillment order is done, and delivered if the rule says so.
  const archiveChoice = byRank(decisions.flatMap((d) => (d.archive ? [d.archive] : [])))[0] ?? null;
  if (archiveChoice) {
    const fulfillments = o.fulfillments ?? [];
    const delivered =
      fulfillments.length > 0 && fulfillments.every((f) => f.displayStatus === "DELIVERED");
    const ready = allFulfilled && (archiveChoice.action.when === "fulfilled" || delivered);
    if (ready) {
      b.add(
        makeStep(
          "orderClose",
          b.orderId,
          null,
          { input: { id: o.id } },
          "Archive the order",
          b.ruleWhy(archiveChoice.rule, describeAction(archiveChoice.action), null),
        ),
      );
    } else {
      b.explain(
        null,
        `Rule ${quote(archiveChoice.rule.rule.name)}: the order is archived once everything is ${archiveChoice.action.when}.`,
        archiveChoice.rule.rule.id,
      );
    }
  }
}
