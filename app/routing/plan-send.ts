// Sending a fulfillment order on its way: fulfil it, or send the fulfilment request (with the lab's message), or follow a rejected request's fallback.
import { type Attributed, type DispositionAction, type RuleDecision } from "./decide";
import { FULFILLMENT_ORDER_ACTIONS as ACTIONS, type Location } from "./snapshot";
import { defaultRerouteTarget } from "./drift";
import { makeStep, type StepWhy } from "./steps";
import type { FulfillmentOrderView } from "./views";
import { lineInputs, notifyWords, settingsWhy, supports, type PlanBuilder } from "./plan-builder";
import type { FulfillmentOrderOutcome } from "./plan-types";
import { engineSaid, type Words } from "./words";
import { actionWords } from "./rule-words";

/** One fulfillment order being sent on its way, and what sends it. */
interface Sending {
  b: PlanBuilder;
  view: FulfillmentOrderView;
  fo: FulfillmentOrderView["fo"];
  /** The rule that chose how, or null when Settings did. */
  fromRule: Attributed<DispositionAction> | null;
  action: DispositionAction;
  notifyCustomer: boolean;
}

export function planDisposition(
  b: PlanBuilder,
  view: FulfillmentOrderView,
  disposition: Attributed<DispositionAction> | "fulfil",
): FulfillmentOrderOutcome | null {
  const fo = view.fo;
  const fromRule = disposition === "fulfil" ? null : disposition;
  const action: DispositionAction = fromRule ? fromRule.action : { type: "fulfil_automatically" };
  const notifyCustomer = action.notifyCustomer ?? b.settings.notifyCustomer;
  const s: Sending = { b, view, fo, fromRule, action, notifyCustomer };

  if (action.type === "submit_fulfilment_request")
    return request(s, requestMessage(action.message, view), null);
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
        engineSaid("step.fulfill", {
          count: units,
          location: view.locationName,
          notify: notifyWords(notifyCustomer),
        }),
        sendingWhy(s, actionWords(action)),
      ),
    );
    return "fulfilling";
  }
  if (fo.fulfillmentService) {
    // Since 2024-10 an app cannot fulfil what another fulfilment service owns: ask the service instead.
    return request(s, requestMessage(undefined, view), fo.fulfillmentService.name);
  }
  return notAllowed(s, "fulfillNotAllowed");
}

// The parts of planDisposition, as module functions: it runs for every fulfillment order sent.

function sendingWhy({ b, fo, fromRule }: Sending, what: Words): StepWhy {
  return fromRule
    ? b.ruleWhy(fromRule.rule, what, fo.id)
    : settingsWhy(engineSaid("why.noRuleDecides", { what }));
}

function notAllowed(
  { b, view, fo, fromRule }: Sending,
  what: "requestNotAllowed" | "fulfillNotAllowed",
): null {
  b.needsAttention({
    code: "not_allowed_by_shopify",
    fulfillmentOrderId: fo.id,
    ruleId: fromRule?.rule.rule.id ?? null,
    message: engineSaid(`attention.${what}`, { location: view.locationName }),
  });
  return null;
}

/** `serviceOwnsIt`: the fulfillment service that owns lines the rule would fulfill itself. */
function request(
  s: Sending,
  message: string | undefined,
  serviceOwnsIt: string | null,
): FulfillmentOrderOutcome | null {
  const { b, view, fo, fromRule, action, notifyCustomer } = s;
  if (!supports(fo, ACTIONS.requestFulfillment)) return notAllowed(s, "requestNotAllowed");
  const service = fo.fulfillmentService?.name ?? view.locationName;
  if (returnedByService(b, view)) {
    // The lab accepted the merchant's request to stop, and Shopify's "closed" reading brings the
    // work back on a new fulfillment order at the lab's location: asking that lab again is the
    // merchant's call, never the rules' on their own (a timer or a late webhook would undo it).
    b.needsAttention({
      code: "work_left_behind",
      fulfillmentOrderId: fo.id,
      ruleId: fromRule?.rule.rule.id ?? null,
      message: engineSaid("attention.workReturnedAfterCancellation", {
        service,
        location: view.locationName,
      }),
    });
    return null;
  }
  b.add(
    makeStep(
      "fulfillmentOrderSubmitFulfillmentRequest",
      b.orderId,
      fo.id,
      message ? { id: fo.id, message, notifyCustomer } : { id: fo.id, notifyCustomer },
      engineSaid("step.request", { service }),
      sendingWhy(
        s,
        serviceOwnsIt
          ? engineSaid("why.serviceOwnsIt", { what: actionWords(action), service: serviceOwnsIt })
          : actionWords(action),
      ),
    ),
  );
  return "requesting";
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
export function planRejectionFallback(
  b: PlanBuilder,
  d: RuleDecision,
): FulfillmentOrderOutcome | null {
  const chosen = d.disposition;
  if (chosen?.action.type !== "submit_fulfilment_request") return null;
  const fallback = chosen.action.onRejected;
  if (!fallback || fallback.then === "needs_attention") return null;
  const view = d.view;
  const fo = view.fo;
  const target = b.order.locationsById.get(fallback.locationId);
  const attention = (key: string, params: Record<string, string> = {}) => {
    b.needsAttention({
      code: "fulfilment_request_rejected",
      fulfillmentOrderId: fo.id,
      ruleId: chosen.rule.rule.id,
      message: engineSaid(`attention.${key}`, {
        service: fo.fulfillmentService?.name ?? view.locationName,
        rule: chosen.rule.rule.name,
        ...params,
      }),
    });
    return "needs_attention" as const;
  };
  if (!target) return attention("rejectedFallbackGone");
  if (fallback.then === "fulfil" && target.fulfillmentServiceHandle)
    return attention("rejectedFallbackIsService", { location: target.name });
  let to = target;
  if (b.repairedAwayFrom.has(target.id)) {
    // The merchant took the order's work away from there because it stood still: the rules do not
    // send it back by themselves, but to the next location that can make it, or wait for them.
    const instead = insteadOfRepairedAway(b, view, fallback.then);
    if (!instead) return attention("rejectedFallbackRepairedAway", { location: target.name });
    b.explain(
      fo.id,
      engineSaid("explain.fallbackNotRepairedAway", { location: target.name, to: instead.name }),
      chosen.rule.rule.id,
    );
    to = instead;
  }
  if (!supports(fo, ACTIONS.move))
    return attention("rejectedMoveNotAllowed", { location: to.name });
  // Shopify's locationsForMove, when the router asked it (ADR 094): whole, as this move is.
  const said = b.shopify.moves?.[fo.id]?.find((l) => l.locationId === to.id);
  if (said && !said.movable)
    return attention("rejectedMoveRefusedByShopify", {
      location: to.name,
      shopify: said.message ?? "",
    });
  b.add(
    makeStep(
      "fulfillmentOrderMove",
      b.orderId,
      fo.id,
      { id: fo.id, newLocationId: to.id },
      engineSaid("step.rejectedMove", {
        service: fo.fulfillmentService?.name ?? view.locationName,
        location: to.name,
      }),
      b.ruleWhy(chosen.rule, engineSaid("why.rejectedMove", { location: to.name }), fo.id),
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
      engineSaid("step.fulfillAt", { location: to.name, notify: notifyWords(notifyCustomer) }),
      b.ruleWhy(chosen.rule, engineSaid("why.rejectedFulfill", { location: to.name }), fo.id),
    ),
  );
  return "fulfilling";
}

/**
 * Where a rejected request's fallback goes instead of a location the order's work was repaired
 * away from: the first location, in the merchant's preference order, whose capability profile
 * makes every line (as a stuck request's default re-route chooses), never the location that
 * rejected nor any other the work was repaired away from. Without profiles nothing says where the
 * work can be made, so none: the merchant decides (a fulfil fallback there would fulfil it).
 */
function insteadOfRepairedAway(
  b: PlanBuilder,
  view: FulfillmentOrderView,
  then: "move" | "fulfil",
): Location | null {
  if (b.profiles.length === 0) return null;
  const choice = defaultRerouteTarget(
    [...b.order.locationsById.values()],
    [view.fo.assignedLocation.locationId, ...b.repairedAwayFrom],
    { profiles: b.profiles, lines: view.lines.map((line) => line.item) },
  );
  const to = choice.to && b.order.locationsById.get(choice.to.locationId);
  if (!to || (then === "fulfil" && to.fulfillmentServiceHandle)) return null;
  return to;
}

/**
 * The fulfillment order holds work a fulfilment service gave back by accepting a cancellation
 * request: an earlier fulfillment order at the same location, closed or cancelled with the request
 * status CANCELLATION_ACCEPTED, had the same order lines.
 */
function returnedByService(b: PlanBuilder, view: FulfillmentOrderView): boolean {
  const fo = view.fo;
  const lines = new Set(fo.lineItems.map((line) => line.lineItemId));
  return b.order.fulfillmentOrders.some(
    (other) =>
      other.finished &&
      other.fo.id !== fo.id &&
      other.fo.requestStatus === "CANCELLATION_ACCEPTED" &&
      other.fo.assignedLocation.locationId === fo.assignedLocation.locationId &&
      other.fo.lineItems.some((line) => lines.has(line.lineItemId)),
  );
}
