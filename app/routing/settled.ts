// When an order is settled enough for the rules to decide, and which of its fulfillment orders the
// release gate holds at a fulfilment service until they have.
import { compileRules, ruleMatches } from "./conditions";
import { GATE_HOLD_HANDLE, MANUAL_HOLD_HANDLE_PREFIX, plannedHoldPurpose } from "./holds";
import type { Rule } from "./rules";
import type { FinancialStatus, FulfillmentOrder, OrderSnapshot } from "./snapshot";
import { makeStep, type StepOf } from "./steps";
import { engineSaid, type Words } from "./words";
import { buildOrderView } from "./views";

/** Payments the rules decide on by themselves: the money is taken or promised. */
export const SETTLED_PAYMENTS: readonly FinancialStatus[] = [
  "PAID",
  "PARTIALLY_PAID",
  "AUTHORIZED",
];

/** Whether the rules decide now, and why: Words the order's trace says in the reader's language. */
export type Readiness = { ready: boolean; because: Words };

/**
 * Paid, partially paid or authorized orders are decided at once. Any other payment (a bank
 * transfer or cash on delivery still pending) waits for orders/paid, unless an enabled rule that
 * looks at the payment state matches the order as it is: then that rule says otherwise.
 */
export function readiness(snapshot: OrderSnapshot, rules: readonly Rule[]): Readiness {
  const status = snapshot.order.displayFinancialStatus;
  if (status && SETTLED_PAYMENTS.includes(status))
    return {
      ready: true,
      because: engineSaid("readiness.settled", { status: paymentWords(status) }),
    };
  const view = buildOrderView(snapshot);
  for (const rule of compileRules(rules)) {
    if (!rule.orderConditions.some((c) => c.field === "payment_state")) continue;
    if (view.fulfillmentOrders.some((fo) => ruleMatches(rule, fo, view)))
      return {
        ready: true,
        because: engineSaid("readiness.byRule", {
          status: paymentWords(status),
          rule: rule.rule.name,
        }),
      };
  }
  return {
    ready: false,
    because: engineSaid("readiness.waits", { status: paymentWords(status) }),
  };
}

/** A payment status in the small letters a sentence says it with ("pending", "partially paid"). */
function paymentWords(status: FinancialStatus | null): Words {
  return engineSaid(`readiness.payment.${status ?? "UNKNOWN"}`);
}

/**
 * Fulfillment orders at a fulfilment service that nobody has sent yet and the gate can still hold.
 * One that carries a hold of the app's decision (a review, a rule's or a merchant's hold) is
 * already decided: that hold keeps the lab waiting, and a gate beside it would outlive the decision.
 */
export function gateable(fo: FulfillmentOrder): boolean {
  return (
    fo.fulfillmentService !== null &&
    (fo.status === "OPEN" || fo.status === "SCHEDULED" || fo.status === "ON_HOLD") &&
    fo.requestStatus === "UNSUBMITTED" &&
    fo.supportedActions.includes("HOLD") &&
    !fo.holds.some(
      (h) =>
        h.heldByRequestingApp !== false &&
        (h.handle === GATE_HOLD_HANDLE ||
          plannedHoldPurpose(h) !== null ||
          (h.handle ?? "").startsWith(MANUAL_HOLD_HANDLE_PREFIX)),
    )
  );
}

/**
 * The release gate's holds: every fulfillment order assigned to a fulfilment service carries one
 * from the moment Shopify routes the order until the rules have decided, so no lab starts before
 * they say so. The planner releases it (it is one of its own holds) once the rules decide.
 */
export function gateHoldSteps(snapshot: OrderSnapshot): StepOf<"fulfillmentOrderHold">[] {
  const orderId = snapshot.order.id;
  return snapshot.fulfillmentOrders.filter(gateable).map((fo) =>
    makeStep(
      "fulfillmentOrderHold",
      orderId,
      fo.id,
      {
        id: fo.id,
        fulfillmentHold: {
          reason: "OTHER",
          reasonNotes: "Waiting for Fulfilment Router's rules to decide",
          handle: GATE_HOLD_HANDLE,
          notifyMerchant: false,
        },
      },
      engineSaid("step.holdUntilDecided", {
        location: fo.fulfillmentService?.name ?? fo.assignedLocation.name,
      }),
      {
        source: "settings",
        ruleId: null,
        ruleName: null,
        text: engineSaid("why.settings", { what: engineSaid("why.gate") }),
      },
    ),
  );
}
