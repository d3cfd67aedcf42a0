// One fulfillment order's round: what Shopify's state allows, then route, holds, and how it is sent on its way.
import {
  defaultReviewHold,
  type Attributed,
  type DispositionAction,
  type RuleDecision,
  type WantedHold,
} from "./decide";
import { DEFAULT_REVIEW_HOLD_HANDLE } from "./holds";
import type { FulfillmentOrderView } from "./views";
import {
  finishedOutcome,
  hasWorkLeft,
  phaseOf,
  type Phase,
  type PlanBuilder,
} from "./plan-builder";
import { planHolds } from "./plan-holds";
import { route } from "./plan-routing";
import { planDisposition, planRejectionFallback } from "./plan-send";
import type { FulfillmentOrderOutcome } from "./plan-types";
import { engineSaid, statusWords, words } from "./words";

export function planFulfillmentOrder(b: PlanBuilder, d: RuleDecision): void {
  const view = d.view;
  const fo = view.fo;

  const movedHere = b.waitingForMove.get(fo.id);
  if (movedHere !== undefined) {
    b.approvedToGo.set(fo.id, false);
    b.inFlux.add(fo.id);
    b.explain(fo.id, engineSaid("explain.afterMoveHere", { location: movedHere }));
    outcome(b, d, "routing");
    return;
  }

  const phase = phaseOf(fo);
  if (phase === "rejected") {
    const fallback = planRejectionFallback(b, d);
    if (fallback) {
      b.approvedToGo.set(fo.id, false);
      outcome(b, d, fallback);
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
    // Work left on a closed or cancelled one that no open one took over is not finished.
    const leftBehind = b.attention.some(
      (a) => a.code === "work_left_behind" && a.fulfillmentOrderId === fo.id,
    );
    outcome(
      b,
      d,
      phase === "finished"
        ? leftBehind
          ? "needs_attention"
          : finishedOutcome(fo, b.snapshot.order)
        : phase === "rejected" || phase === "incomplete"
          ? "needs_attention"
          : "in_progress",
    );
    return;
  }
  b.approvedToGo.set(fo.id, false);
  if (b.inFlux.has(fo.id)) {
    b.explain(fo.id, engineSaid("explain.afterMerge"));
    outcome(b, d, "routing");
    return;
  }
  if (b.placedByRepair.has(fo.id)) {
    // The merchant moved it here because the rules' place stood still: routing it again would
    // send it back there (and ask that lab again), so it waits here for the merchant or the repair.
    b.approvedToGo.set(fo.id, !fo.fulfillmentService);
    b.explain(fo.id, engineSaid("explain.placedByRepair", { location: view.locationName }));
    outcome(b, d, "waiting_for_you");
    return;
  }

  const routed = route(b, d);
  if (routed.structural) {
    b.explain(fo.id, engineSaid("explain.afterChange"));
    outcome(b, d, "routing");
    return;
  }

  const wanted: WantedHold[] = [...d.holds];
  if (routed.stockHold) wanted.push(routed.stockHold);
  const { disposition, usedDefault } = chooseDisposition(b, d, wanted);
  const holds = planHolds(b, d, wanted);

  if (holds.kept.length > 0 || holds.stillHeldByOthers > 0) {
    outcome(b, d, "held", usedDefault);
    return;
  }
  if (holds.releasing.length > 0) {
    b.explain(fo.id, engineSaid("explain.afterRelease"));
    outcome(b, d, "releasing", usedDefault);
    return;
  }
  if (routed.blocked) {
    outcome(b, d, "needs_attention", usedDefault);
    return;
  }
  if (b.order.unknownLines.some((u) => u.fulfillmentOrderId === fo.id)) {
    outcome(b, d, "needs_attention", usedDefault);
    return;
  }
  if (fo.status !== "OPEN") {
    b.explain(fo.id, engineSaid("explain.waitingOnShopify", { status: statusWords(fo.status) }));
    outcome(b, d, "held", usedDefault);
    return;
  }

  // Nothing holds it: merchant-managed lines count as approved to go.
  b.approvedToGo.set(fo.id, !fo.fulfillmentService);
  if (!disposition) {
    b.explain(fo.id, engineSaid("explain.manualBySettings"));
    outcome(b, d, "waiting_for_you", true);
    return;
  }
  const sent = planDisposition(b, view, disposition);
  outcome(b, d, sent ?? "needs_attention", usedDefault);
}

/** Records what the round comes to for the fulfillment order. */
function outcome(
  b: PlanBuilder,
  d: RuleDecision,
  value: FulfillmentOrderOutcome,
  usedDefault = false,
): void {
  b.outcomes.push({
    fulfillmentOrderId: d.view.fo.id,
    locationName: d.view.locationName,
    matchedRuleIds: d.matched.map((r) => r.rule.id),
    usedDefault,
    outcome: value,
  });
}

/**
 * How it is sent: the rules' choice where it can be carried out, else Settings (which may add the
 * default review hold to `wanted` for digital downloads).
 */
function chooseDisposition(
  b: PlanBuilder,
  d: RuleDecision,
  wanted: WantedHold[],
): { disposition: Attributed<DispositionAction> | "fulfil" | null; usedDefault: boolean } {
  const view = d.view;
  let disposition: Attributed<DispositionAction> | "fulfil" | null = d.disposition;
  let usedDefault = false;
  if (disposition?.action.type === "submit_fulfilment_request" && !view.fo.fulfillmentService) {
    b.explain(
      view.fo.id,
      engineSaid("explain.noRequestAtOwnLocation", {
        rule: disposition.rule.rule.name,
        location: view.locationName,
      }),
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
  return { disposition, usedDefault };
}

/**
 * Shopify's sources disagree on what an accepted cancellation request leaves: the webhook example
 * closes the fulfillment order (and the work comes back on a new one), the mutation's examples
 * show it CANCELLED with the work still on it. Work still on a closed or cancelled fulfillment
 * order that no open fulfillment order has taken over is never treated as finished.
 */
export function noticeWorkLeftBehind(b: PlanBuilder, view: FulfillmentOrderView): void {
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
    message: engineSaid(
      fo.requestStatus === "CANCELLATION_ACCEPTED"
        ? "attention.workLeftAfterCancellation"
        : "attention.workLeftBehind",
      { service, count: units, status: statusWords(fo.status), location: view.locationName },
    ),
  });
}

function explainSettled(b: PlanBuilder, view: FulfillmentOrderView, phase: Phase): void {
  const fo = view.fo;
  const location = view.locationName;
  switch (phase) {
    case "finished":
      b.explain(
        fo.id,
        engineSaid("explain.finished", { location, status: statusWords(fo.status) }),
      );
      return;
    case "scheduled":
      b.explain(fo.id, engineSaid("explain.scheduled", { location }));
      return;
    case "incomplete":
      // The service gave up (fulfillmentOrderClose) and control is back with the merchant; the
      // rules do not ask the same service again by themselves.
      b.needsAttention({
        code: "fulfilment_service_failed",
        fulfillmentOrderId: fo.id,
        message: engineSaid("attention.serviceFailedToComplete", {
          service: fo.fulfillmentService?.name ?? location,
          location,
        }),
      });
      return;
    case "in_progress":
      b.explain(fo.id, engineSaid("explain.inProgress", { location }));
      return;
    case "with_service": {
      b.explain(
        fo.id,
        engineSaid("explain.withService", {
          service: fo.fulfillmentService?.name ?? location,
          request: words(`engine.requestStatus.${fo.requestStatus}`),
        }),
      );
      return;
    }
    case "rejected":
      b.needsAttention({
        code: "fulfilment_request_rejected",
        fulfillmentOrderId: fo.id,
        message: engineSaid("attention.requestRejected", {
          service: fo.fulfillmentService?.name ?? view.locationName,
        }),
      });
      return;
    case "actionable":
      return;
  }
}
