// Holds on one fulfillment order: keep exactly the holds the rules want, less what approval and time have lifted; place the missing ones, release ours no rule wants.
import type { RuleDecision, WantedHold } from "./decide";
import { MAX_HOLDS_PER_APP, isGateHold, plannedHoldPurpose } from "./holds";
import {
  FULFILLMENT_ORDER_ACTIONS as ACTIONS,
  compareGids,
  type FulfillmentHold,
  type FulfillmentOrder,
} from "./snapshot";
import { makeStep, type StepWhy } from "./steps";
import { engineSaid, statusWords, words, type Words } from "./words";
import { actionWords } from "./rule-words";
import { heldWords, settingsWhy, stateWhy, supports, type PlanBuilder } from "./plan-builder";

export interface PlannedHolds {
  /** The holds the rules still want (placed now or already there). */
  kept: WantedHold[];
  /** Holds this plan releases. */
  releasing: FulfillmentHold[];
  /** Holds someone else placed that stay. */
  stillHeldByOthers: number;
}

/** Plans the hold and release Steps for one fulfillment order and says what holds it afterwards. */
export function planHolds(
  b: PlanBuilder,
  d: RuleDecision,
  wanted: readonly WantedHold[],
): PlannedHolds {
  const view = d.view;
  const fo = view.fo;
  const approved = b.approvals.has(fo.id);
  const { kept, expired } = holdsToKeep(b, d, wanted, approved);

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
      b.explain(
        fo.id,
        engineSaid("explain.alreadyHeld", { hold: heldWords(hold) }),
        hold.rule?.rule.id ?? null,
      );
  }
  for (const hold of toPlace) {
    if (!supports(fo, ACTIONS.hold)) {
      b.needsAttention({
        code: "not_allowed_by_shopify",
        fulfillmentOrderId: fo.id,
        ruleId: hold.rule?.rule.id ?? null,
        message: engineSaid("attention.holdNotAllowed", {
          hold: heldWords(hold),
          location: view.locationName,
          status: statusWords(fo.status),
        }),
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
            reasonNotes: noteOf(b, hold),
            handle: hold.handle,
            notifyMerchant: false,
          },
        },
        holdSummary(hold, view.locationName),
        hold.rule
          ? b.ruleWhy(hold.rule, hold.label, fo.id)
          : settingsWhy(engineSaid("why.downloadsReview")),
        asItStands(fo),
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
        message: engineSaid("attention.releaseNotAllowed", {
          location: view.locationName,
          status: statusWords(fo.status),
        }),
      });
    } else {
      b.add(
        makeStep(
          "fulfillmentOrderReleaseHold",
          b.orderId,
          fo.id,
          { id: fo.id, holdIds: releasing.map((h) => h.id).sort(compareGids) },
          engineSaid("step.release", { count: releasing.length, location: view.locationName }),
          releaseWhy(b, d, toRelease, releaseOthers, approved, expired),
        ),
      );
    }
  }

  const stillHeldByOthers = others.length - releaseOthers.length;
  if (stillHeldByOthers > 0 && kept.length === 0) {
    const reasons = others
      .filter((h) => !releaseOthers.includes(h))
      .map((h) => h.reasonNotes || words(`holdReason.${h.reason}`));
    b.explain(fo.id, engineSaid("explain.heldByOthers", { reasons }));
  }
  return { kept, releasing, stillHeldByOthers };
}

/** The wanted holds less those approval lifted and those whose time has passed, at most Shopify's limit. */
function holdsToKeep(
  b: PlanBuilder,
  d: RuleDecision,
  wanted: readonly WantedHold[],
  approved: boolean,
): { kept: WantedHold[]; expired: Set<string> } {
  const view = d.view;
  const fo = view.fo;
  const kept: WantedHold[] = [];
  const expired = new Set<string>();
  let explainedApproval = false;
  for (const hold of wanted) {
    if (kept.some((k) => k.handle === hold.handle)) continue;
    if (approved && hold.purpose !== "stock") {
      if (!explainedApproval) b.explain(fo.id, engineSaid("explain.approvedLifted"));
      explainedApproval = true;
      continue;
    }
    if (hold.releaseAfterMinutes !== null) {
      const ends = Date.parse(b.snapshot.order.createdAt) + hold.releaseAfterMinutes * 60_000;
      if (b.now >= ends) {
        expired.add(hold.handle);
        b.explain(
          fo.id,
          engineSaid("explain.holdTimeUp", {
            hold: heldWords(hold),
            count: hold.releaseAfterMinutes,
          }),
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
      message: engineSaid("attention.tooManyHolds", {
        count: kept.length,
        location: view.locationName,
        max: MAX_HOLDS_PER_APP,
      }),
    });
    kept.length = MAX_HOLDS_PER_APP;
  }
  return { kept, expired };
}

/** The note Shopify keeps: the catalogue's words in its English when the caller writes them, at most 255 characters. */
function noteOf(b: PlanBuilder, hold: WantedHold): string {
  return hold.notes && b.writeNote ? b.writeNote(hold.notes).slice(0, 255) : hold.reasonNotes;
}

/** Where the fulfillment order is and what it carries: a hold's key changes when either does. */
function asItStands(fo: FulfillmentOrder): unknown {
  return [
    fo.assignedLocation.locationId,
    [...fo.lineItems]
      .sort((a, b) => compareGids(a.id, b.id))
      .map((line) => [line.id, line.remainingQuantity]),
  ];
}

function holdSummary(hold: WantedHold, location: string): Words {
  switch (hold.purpose) {
    case "review":
      return engineSaid("step.holdForReview", { location });
    case "stock":
      return hold.waiting && hold.waiting.length > 0
        ? engineSaid("step.holdForStockCounted", { location, lines: hold.waiting })
        : engineSaid("step.holdForStock", { location });
    case "rule":
      return engineSaid("step.holdWithReason", {
        reason: words(`holdReason.${hold.reason}`),
        location,
      });
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
    return b.ruleWhy(d.release.rule, actionWords(d.release.action), d.view.fo.id);
  if (ours.length > 0 && ours.every(isGateHold))
    return stateWhy("settings", engineSaid("why.gateOpens"));
  if (approved && ours.some((h) => plannedHoldPurpose(h) !== "stock")) {
    return stateWhy("approval", engineSaid("why.approved"));
  }
  if (ours.some((h) => expired.has(h.handle ?? ""))) {
    return stateWhy("reconcile", engineSaid("why.holdTimeUp"));
  }
  if (ours.some((h) => plannedHoldPurpose(h) === "stock")) {
    return stateWhy("reconcile", engineSaid("why.inStock"));
  }
  if (d.release) return b.ruleWhy(d.release.rule, actionWords(d.release.action), d.view.fo.id);
  return stateWhy("reconcile", engineSaid("why.noRuleAsks"));
}
