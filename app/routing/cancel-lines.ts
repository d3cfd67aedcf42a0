// Cancelling some lines of an order as Shopify allows it: the quantities chosen come off the order
// with refundCreate (restocked where each was to ship from, or not), the money goes back to the
// original payments or as store credit (what Shopify suggests for the lines, tax included, or a set
// amount), the customer told
// or not; the app's own holds and unanswered lab requests go first; work a lab accepted refuses it.
import {
  askToCancelWords,
  labHolds,
  ourHolds,
  releaseOurHoldsWords,
  serviceName,
  withdrawRequestWords,
} from "./cancel";
import type { FulfillmentOrder, Money, OrderSnapshot } from "./snapshot";
import {
  makeStep,
  type OrderCancelReason,
  type Step,
  type StepInputs,
  type StepWhy,
} from "./steps";
import { engineSaid } from "./words";
import { currencyDecimals, fitsCurrency, fromMinorUnits, toMinorUnits } from "./minor-units";

/** Where the money of cancelled lines goes. */
export const LINE_REFUND_CHOICES = ["original", "store_credit", "none"] as const;
export type LineRefundChoice = (typeof LINE_REFUND_CHOICES)[number];

export interface CancelLinesRequest {
  lines: { lineItemId: string; quantity: number }[];
  reason: OrderCancelReason;
  refund: LineRefundChoice;
  /** Decimal in the customer's currency (the order's presentment currency); null gives back the cancelled lines in full, tax included. */
  amount: string | null;
  restock: boolean;
  notifyCustomer: boolean;
  /** For staff only; kept as the refund's note. */
  staffNote: string | null;
}

/**
 * What a refund may give back (ORDER_REFUND_FACTS_QUERY), in minor units of the customer's currency:
 * its own decimals (fils of a dinar, whole yen), never cents of every currency (ADR 087).
 */
export interface RefundFacts {
  /** The customer's (presentment) currency: RefundInput.currency, and what amounts are in. */
  currencyCode: string;
  /** Successful sales and captures, with what is left of each to refund. */
  payments: { id: string; gateway: string; refundable: number }[];
  /** Shopify's suggestion for the chosen lines (ORDER_SUGGESTED_REFUND_QUERY); read for a refund in full only. */
  suggested: SuggestedRefund | null;
}

/**
 * What Shopify would give back for the chosen quantities (Order.suggestedRefund), in minor units of
 * the customer's currency: the lines' price (`subtotal`) and the tax that goes with them, at most what
 * is left to refund (`amount`), and the payments it goes back through. A refund "in full" is this,
 * not the lines' price: the customer paid the tax too (ADR 082).
 */
export interface SuggestedRefund {
  amount: number;
  subtotal: number;
  tax: number;
  transactions: { parentId: string; gateway: string; amount: number }[];
}

/** Why nothing was done; the screen words each from the catalogue. */
export type CancelLinesRefusal =
  | { code: "noLines" }
  | { code: "alreadyCanceled" }
  | { code: "unknownLine" }
  | { code: "tooMany"; title: string; left: number }
  | { code: "noCustomer" }
  | { code: "nothingToRefund" }
  /** A refund in full, and Shopify answered no suggested refund to make it of. */
  | { code: "noSuggestedRefund" }
  /** A set amount with more decimals than the customer's currency has (7.0055 KWD, 1500.5 JPY). */
  | { code: "amountDecimals"; currency: string; decimals: number }
  /** A set amount above what is left to refund (a decimal of `currency`): Shopify refuses it. */
  | { code: "amountAboveLeft"; left: string; currency: string }
  /** A lab keeps accepted work on the lines; it was asked (or had been asked) to give it back. */
  | { code: "labAccepted"; services: string; asked: boolean }
  | { code: "labRefused"; service: string };

export type CancelLinesPlan =
  | {
      kind: "cancel";
      /** Holds released and requests withdrawn, then the refundCreate last. */
      steps: Step[];
      /** A request was withdrawn: what remains of its work goes through the rules again. */
      routeAgain: boolean;
      /** Minor units of the customer's currency given back (0 when nothing is refunded). */
      refunded: number;
    }
  | { kind: "refused"; refusal: CancelLinesRefusal; steps: Step[] };

const open = (fo: FulfillmentOrder) => fo.status !== "CLOSED" && fo.status !== "CANCELLED";

/**
 * Plans the cancel of the chosen quantities. Nothing is half-done: every refusal comes before any
 * change, except asking a lab to give accepted work back (at most once per fulfillment order).
 */
export function planCancelLines(
  snapshot: OrderSnapshot,
  facts: RefundFacts,
  request: CancelLinesRequest,
  why: StepWhy,
  /** The reason as the refund's note on Shopify says it: the catalogue's English words. */
  reasonNote: string = request.reason,
): CancelLinesPlan {
  const o = snapshot.order;
  const refuse = (refusal: CancelLinesRefusal, steps: Step[] = []): CancelLinesPlan => ({
    kind: "refused",
    refusal,
    steps,
  });
  if (o.cancelledAt) return refuse({ code: "alreadyCanceled" });
  const chosen = request.lines.filter((l) => l.quantity > 0);
  if (chosen.length === 0) return refuse({ code: "noLines" });
  for (const line of chosen) {
    const li = snapshot.lineItems.find((l) => l.id === line.lineItemId);
    if (!li) return refuse({ code: "unknownLine" });
    if (line.quantity > li.unfulfilledQuantity)
      return refuse({ code: "tooMany", title: li.title, left: li.unfulfilledQuantity });
  }
  if (request.refund === "store_credit" && !o.customer) return refuse({ code: "noCustomer" });
  // A set amount goes to Shopify as typed, so it must be an amount of the customer's currency.
  const currency = facts.currencyCode;
  if (
    request.refund !== "none" &&
    request.amount !== null &&
    !fitsCurrency(request.amount, currency)
  )
    return refuse({ code: "amountDecimals", currency, decimals: currencyDecimals(currency) });
  const decimal = (units: number) => fromMinorUnits(units, currency);
  // More than is left to refund: Shopify refuses the refund ("greater than the amount available"),
  // but only after the holds and requests went; said now, with nothing changed (ADR 095).
  const available = facts.payments.reduce((s, p) => s + p.refundable, 0);
  if (
    request.refund !== "none" &&
    request.amount !== null &&
    toMinorUnits(request.amount, currency) > available
  )
    return refuse({ code: "amountAboveLeft", left: decimal(available), currency });

  // The fulfillment orders that carry what is cancelled.
  const ids = new Set(chosen.map((l) => l.lineItemId));
  const carriers = snapshot.fulfillmentOrders.filter(
    (fo) => open(fo) && fo.lineItems.some((l) => ids.has(l.lineItemId) && l.remainingQuantity > 0),
  );
  const accepted = carriers.filter(labHolds);
  if (accepted.length > 0) {
    const rejected = accepted.find((fo) => fo.requestStatus === "CANCELLATION_REJECTED");
    if (rejected) return refuse({ code: "labRefused", service: serviceName(rejected) });
    const ask = accepted
      .filter((fo) => fo.requestStatus === "ACCEPTED")
      .map((fo) =>
        makeStep(
          "fulfillmentOrderSubmitCancellationRequest",
          o.id,
          fo.id,
          { id: fo.id, message: `Items of order ${o.name} are being canceled.` },
          askToCancelWords(fo),
          why,
        ),
      );
    return refuse(
      {
        code: "labAccepted",
        services: [...new Set(accepted.map(serviceName))].join(", "),
        asked: ask.length > 0,
      },
      ask,
    );
  }

  // What each fulfillment order gives up, line by line: where it was to ship from is where the
  // stock goes back (restock per location).
  const remaining = new Map(chosen.map((l) => [l.lineItemId, l.quantity]));
  const taken = new Map<string, number>(); // fulfillment order id → quantity taken
  const refundLines: StepInputs["refundCreate"]["input"]["refundLineItems"] = [];
  for (const fo of carriers) {
    for (const foLine of fo.lineItems) {
      const left = remaining.get(foLine.lineItemId) ?? 0;
      const qty = Math.min(left, foLine.remainingQuantity);
      if (qty <= 0) continue;
      remaining.set(foLine.lineItemId, left - qty);
      taken.set(fo.id, (taken.get(fo.id) ?? 0) + qty);
      const same = refundLines.find(
        (r) =>
          r.lineItemId === foLine.lineItemId &&
          r.locationId === (request.restock ? fo.assignedLocation.locationId : undefined),
      );
      if (same) same.quantity += qty;
      else
        refundLines.push({
          lineItemId: foLine.lineItemId,
          quantity: qty,
          ...(request.restock
            ? { restockType: "CANCEL" as const, locationId: fo.assignedLocation.locationId }
            : { restockType: "NO_RESTOCK" as const }),
        });
    }
  }
  // Quantities no fulfillment order carries (a line with nothing to ship): taken off unrestocked.
  for (const [lineItemId, qty] of remaining)
    if (qty > 0) refundLines.push({ lineItemId, quantity: qty, restockType: "NO_RESTOCK" });

  const steps: Step[] = [];
  let routeAgain = false;
  for (const fo of carriers) {
    const remainingThere = fo.lineItems.reduce((s, l) => s + l.remainingQuantity, 0);
    const emptied = (taken.get(fo.id) ?? 0) >= remainingThere;
    // A request no lab has answered is withdrawn: the lab must not start on what changes.
    if (fo.requestStatus === "SUBMITTED") {
      steps.push(
        makeStep(
          "fulfillmentOrderCancel",
          o.id,
          fo.id,
          { id: fo.id },
          withdrawRequestWords(fo),
          why,
        ),
      );
      if (!emptied) routeAgain = true;
      continue;
    }
    // The app's holds come off a fulfillment order the cancel empties; on one that keeps lines
    // they stay (a review still covers what is left).
    const holds = ourHolds(fo);
    if (emptied && holds.length > 0)
      steps.push(
        makeStep(
          "fulfillmentOrderReleaseHold",
          o.id,
          fo.id,
          { id: fo.id, holdIds: holds.map((h) => h.id) },
          releaseOurHoldsWords(fo, holds.length),
          why,
        ),
      );
  }

  // The money.
  const suggested = facts.suggested;
  let amount = 0;
  const full = request.refund !== "none" && request.amount === null;
  if (request.refund !== "none") {
    // "In full" is Shopify's suggestion for the lines (price and tax, as far as payments taken
    // cover it); a set amount is sent as asked, so Shopify's own check answers one that is too high.
    amount = full
      ? Math.min(suggested?.amount ?? 0, available)
      : toMinorUnits(request.amount!, currency);
    // Shopify answered no suggestion (Order.suggestedRefund is nullable): it could not work out
    // the refund, which says nothing of what is left paid, so the merchant is told that instead.
    if (full && !suggested) return refuse({ code: "noSuggestedRefund" });
    // A suggestion for items that cost something, with nothing left paid to give: refused rather
    // than none given.
    if (full && amount <= 0 && suggested!.subtotal > 0) return refuse({ code: "nothingToRefund" });
  }
  const transactions: StepInputs["refundCreate"]["input"]["transactions"] = [];
  const refundMethods: StepInputs["refundCreate"]["input"]["refundMethods"] = [];
  const refundTo = (parentId: string, gateway: string, part: number) =>
    transactions.push({
      orderId: o.id,
      kind: "REFUND",
      gateway,
      parentId,
      amount: decimal(part),
    });
  if (amount > 0 && request.refund === "original" && full && suggested) {
    // Back through the payments Shopify suggests, as it split the amount among them.
    let left = amount;
    for (const t of suggested.transactions) {
      const part = Math.min(left, t.amount);
      if (part <= 0) continue;
      left -= part;
      refundTo(t.parentId, t.gateway, part);
    }
    if (transactions.length === 0) return refuse({ code: "nothingToRefund" });
    // What the payments Shopify names can take is what is given back, and what the merchant is told.
    amount -= left;
  } else if (amount > 0 && request.refund === "original") {
    let left = amount;
    facts.payments.forEach((p, i) => {
      const last = i === facts.payments.length - 1;
      const part = last ? left : Math.min(left, p.refundable);
      if (part <= 0) return;
      left -= part;
      refundTo(p.id, p.gateway, part);
    });
    if (transactions.length === 0) return refuse({ code: "nothingToRefund" });
  }
  if (amount > 0 && request.refund === "store_credit") {
    const money: Money = { amount: decimal(amount), currencyCode: facts.currencyCode };
    refundMethods.push({ storeCreditRefund: { amount: money } });
  }
  const count = chosen.reduce((s, l) => s + l.quantity, 0);
  steps.push(
    makeStep(
      "refundCreate",
      o.id,
      null,
      {
        input: {
          orderId: o.id,
          currency: facts.currencyCode,
          notify: request.notifyCustomer,
          note: [`Canceled items (${reasonNote})`, request.staffNote].filter(Boolean).join(": "),
          refundLineItems: refundLines,
          transactions,
          refundMethods,
        },
      },
      amount > 0
        ? engineSaid("step.cancelItemsRefund", {
            count,
            order: o.name,
            amount: decimal(amount),
            currency: facts.currencyCode,
          })
        : engineSaid("step.cancelItems", { count, order: o.name }),
      why,
    ),
  );
  return { kind: "cancel", steps, routeAgain, refunded: amount };
}
