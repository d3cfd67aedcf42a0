// Walks the rules for one fulfillment order and settles what they ask for, before any thought of Shopify's state.
import {
  explainMatch,
  quote,
  ruleMatches,
  type CompiledRule,
  type LocationNames,
} from "./conditions";
import { candidatePositions, ruleIndex } from "./rule-index";
import { HOLD_REASON_LABELS, ruleHoldHandle, type HoldPurpose } from "./holds";
import type { Action, RoutingSettings } from "./rules";
import type { FulfillmentHoldReason } from "./snapshot";
import type { FulfillmentOrderView, OrderView } from "./views";
import { engineSaid, words, type StoredWords, type Words } from "./words";
import { actionWords } from "./rule-words";

export type RoutingAction = Extract<Action, { type: "split" | "merge" | "move" }>;
export type DispositionAction = Extract<
  Action,
  { type: "fulfil_automatically" | "submit_fulfilment_request" }
>;
export type CaptureAction = Extract<Action, { type: "capture_payment" }>;
export type ArchiveAction = Extract<Action, { type: "archive_order" }>;

export interface Attributed<A> {
  action: A;
  rule: CompiledRule;
}

export interface Explanation {
  fulfillmentOrderId: string | null;
  ruleId: string | null;
  /** Words each screen says in the reader's language; text where a sentence is not in the catalogue yet. */
  text: StoredWords;
}

/** A hold the rules (or Settings) want on a fulfillment order. */
export interface WantedHold {
  handle: string;
  purpose: HoldPurpose;
  reason: FulfillmentHoldReason;
  reasonNotes: string;
  /**
   * The note as the catalogue says it, when it says it (a stock hold's counts): Shopify is sent it
   * in the catalogue's English where the plan's caller can write it (PlanOptions.writeNote), else
   * `reasonNotes`.
   */
  notes?: Words;
  /** A stock hold's lines that wait, counted ("1 of 3 “Photo Book”"): its step says them. */
  waiting?: Words[];
  /** Counted from when the order was placed; null = until released. */
  releaseAfterMinutes: number | null;
  rule: CompiledRule | null;
  /** The hold as a rule's action says it: "Hold for review", "Hold with a reason (Other)". */
  label: Words;
}

export interface RuleDecision {
  view: FulfillmentOrderView;
  matched: CompiledRule[];
  /** Rule id → why it matched this fulfillment order, in the merchant's words. */
  because: Map<string, Words>;
  explanation: Explanation[];
  routing: Attributed<RoutingAction> | null;
  disposition: Attributed<DispositionAction> | null;
  holds: WantedHold[];
  /** Set by a rule that releases holds; rules after it place none. */
  release: Attributed<Extract<Action, { type: "release_holds" }>> | null;
  capture: Attributed<CaptureAction> | null;
  archive: Attributed<ArchiveAction> | null;
  tags: Attributed<Extract<Action, { type: "add_order_tags" }>>[];
  notes: Attributed<Extract<Action, { type: "add_staff_note" }>>[];
}

/** Shopify caps hold notes; a longer note would fail the whole mutation. */
const MAX_REASON_NOTES = 255;

export function clip(text: string, max = MAX_REASON_NOTES): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}

function reviewNotes(ruleName: string | null, note: string | undefined): string {
  const base = ruleName
    ? `Waiting for your review (rule ${quote(ruleName)})`
    : "Waiting for your review (Settings)";
  return clip(note ? `${base}: ${note}` : base);
}

/**
 * The rules' wishes for one fulfillment order. The first matching rule decides; a rule marked
 * "keep checking" lets later matching rules add what it leaves open. Where two matching rules
 * want different things for the same question (where it goes, how it is sent, capture, archive),
 * the earlier rule wins and the later wish is explained as ignored. Holds add up, except that a
 * rule releasing holds stops later rules from placing any.
 */
export function decide(
  view: FulfillmentOrderView,
  order: OrderView,
  rules: readonly CompiledRule[],
  settings: RoutingSettings,
): RuleDecision {
  const decision: RuleDecision = {
    view,
    matched: [],
    because: new Map(),
    explanation: [],
    routing: null,
    disposition: null,
    holds: [],
    release: null,
    capture: null,
    archive: null,
    tags: [],
    notes: [],
  };
  const foId = view.fo.id;

  // Only rules the index lets through can match; the rest are skipped without a look. The walk
  // makes nothing, not even a function, for a rule that does not match.
  const possible = candidatePositions(ruleIndex(rules), view, order);
  for (let i = 0; i < possible.length; i++) {
    const rule = rules[possible[i]!]!;
    if (!ruleMatches(rule, view, order)) continue;
    decision.matched.push(rule);
    const because = explainMatch(rule, view, order);
    decision.because.set(rule.rule.id, because);
    decision.explanation.push({ fulfillmentOrderId: foId, ruleId: rule.rule.id, text: because });
    for (const action of rule.rule.actions) {
      switch (action.type) {
        case "split":
        case "merge":
        case "move":
          if (decision.routing)
            explainIgnored(decision, order, rule, action, "where", decision.routing.rule);
          else decision.routing = { action, rule };
          break;
        case "fulfil_automatically":
        case "submit_fulfilment_request":
          if (decision.disposition)
            explainIgnored(decision, order, rule, action, "how", decision.disposition.rule);
          else decision.disposition = { action, rule };
          break;
        case "hold_for_review":
        case "hold": {
          if (decision.release) {
            explainIgnored(decision, order, rule, action, "release", decision.release.rule);
            break;
          }
          const review = action.type === "hold_for_review";
          decision.holds.push({
            handle: ruleHoldHandle(rule.rule.id, review ? "review" : "rule"),
            purpose: review ? "review" : "rule",
            reason: review ? "OTHER" : action.reason,
            reasonNotes: review
              ? reviewNotes(rule.rule.name, action.note)
              : clip(
                  action.note
                    ? action.note
                    : `${HOLD_REASON_LABELS[action.reason]} (rule ${quote(rule.rule.name)})`,
                ),
            releaseAfterMinutes: review
              ? settings.autoReleaseAfterMinutes
              : (action.releaseAfterMinutes ?? null),
            rule,
            label: actionWords(action, locationNamesIn(order)),
          });
          break;
        }
        case "release_holds":
          if (
            !decision.release ||
            (action.placedBy === "anyone" && decision.release.action.placedBy !== "anyone")
          ) {
            decision.release = { action, rule };
          }
          break;
        case "capture_payment":
          if (decision.capture)
            explainIgnored(decision, order, rule, action, "capture", decision.capture.rule);
          else decision.capture = { action, rule };
          break;
        case "archive_order":
          if (!decision.archive) decision.archive = { action, rule };
          break;
        case "add_order_tags":
          decision.tags.push({ action, rule });
          break;
        case "add_staff_note":
          decision.notes.push({ action, rule });
          break;
      }
    }
    if (!rule.rule.keepChecking) break;
  }
  return decision;
}

/** Location names for a rule's words, so a sentence says "Lab", not a gid. */
function locationNamesIn(order: OrderView): LocationNames {
  return (id) => order.locationsById.get(id)?.name;
}

/** A later rule's action an earlier rule already decides (`engine.explain.ignoredBecause.<why>`). */
function explainIgnored(
  decision: RuleDecision,
  order: OrderView,
  rule: CompiledRule,
  action: Action,
  why: string,
  earlier: CompiledRule,
): void {
  decision.explanation.push({
    fulfillmentOrderId: decision.view.fo.id,
    ruleId: rule.rule.id,
    text: engineSaid("explain.ignored", {
      rule: rule.rule.name,
      action: actionWords(action, locationNamesIn(order)),
      because: engineSaid(`explain.ignoredBecause.${why}`, { rule: earlier.rule.name }),
    }),
  });
}

/** The review hold Settings place when downloads need review and no rule sends them. */
export function defaultReviewHold(settings: RoutingSettings, handle: string): WantedHold {
  return {
    handle,
    purpose: "review",
    reason: "OTHER",
    reasonNotes: reviewNotes(null, "digital downloads need your approval"),
    releaseAfterMinutes: settings.autoReleaseAfterMinutes,
    rule: null,
    label: words("action.hold_for_review"),
  };
}
