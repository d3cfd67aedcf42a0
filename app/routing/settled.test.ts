// Settled payments, the release gate, the lab's message and what happens after a lab answers.
import { describe, expect, test } from "vitest";
import { GATE_HOLD_HANDLE, ruleHoldHandle } from "./holds";
import { plan } from "./plan";
import type { Rule } from "./rules";
import { gateHoldSteps, readiness } from "./settled";
import type { FulfillmentOrder, OrderSnapshot } from "./snapshot";
import { engineSaid } from "./words";
import {
  aFulfillmentOrder,
  aLine,
  anOrder,
  aRule,
  aSnapshot,
  authorized,
  LAB,
  NOW,
  PROFILES,
  SETTINGS,
  STUDIO,
} from "./testing.fixtures";

const crop = aLine(1, {
  title: "Fine Art Print",
  variantTitle: "A2",
  customAttributes: [
    { key: "Crop", value: "x=10,y=20,w=400,h=300" },
    { key: "_upload_id", value: "secret" },
  ],
});

function atLab(fo: Partial<FulfillmentOrder> = {}, order = anOrder()): OrderSnapshot {
  return aSnapshot({
    order,
    lineItems: [crop],
    fulfillmentOrders: [aFulfillmentOrder(1, LAB, [crop], fo)],
  });
}

const toLab = (
  onRejected?: Extract<
    Rule["actions"][number],
    { type: "submit_fulfilment_request" }
  >["onRejected"],
) =>
  aRule({
    name: "Lab prints",
    actions: [
      {
        type: "submit_fulfilment_request",
        message: "Lustre paper, please",
        ...(onRejected ? { onRejected } : {}),
      },
    ],
  });

const run = (snapshot: OrderSnapshot, rules: Rule[]) =>
  plan(snapshot, rules, SETTINGS, PROFILES, { now: NOW });

describe("which payments let the rules decide", () => {
  test("paid, partially paid and authorized orders are decided; pending ones wait for orders/paid", () => {
    expect(readiness(atLab(), []).ready).toBe(true);
    expect(readiness(atLab({}, authorized()), []).ready).toBe(true);
    expect(
      readiness(atLab({}, anOrder({ displayFinancialStatus: "PARTIALLY_PAID" })), []).ready,
    ).toBe(true);
    const pending = readiness(atLab({}, anOrder({ displayFinancialStatus: "PENDING" })), []);
    expect(pending).toEqual({
      ready: false,
      because: engineSaid("readiness.waits", { status: engineSaid("readiness.payment.PENDING") }),
    });
  });

  test("a rule that matches the pending payment state says otherwise", () => {
    const cod = aRule(
      { name: "Cash on delivery goes out", actions: [{ type: "fulfil_automatically" }] },
      [{ field: "payment_state", operator: "equals", value: "pending" }],
    );
    const pending = atLab({}, anOrder({ displayFinancialStatus: "PENDING" }));
    expect(readiness(pending, [cod])).toEqual({
      ready: true,
      because: engineSaid("readiness.byRule", {
        status: engineSaid("readiness.payment.PENDING"),
        rule: "Cash on delivery goes out",
      }),
    });
    expect(readiness(pending, [{ ...cod, enabled: false }]).ready).toBe(false);
  });
});

describe("the release gate", () => {
  test("holds every unsent fulfillment order at a fulfilment service, once, and nothing the merchant fulfils", () => {
    const print = aLine(2);
    const snapshot = aSnapshot({
      lineItems: [crop, print],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [crop]), aFulfillmentOrder(2, STUDIO, [print])],
    });
    const steps = gateHoldSteps(snapshot);
    expect(steps.map((s) => [s.fulfillmentOrderId, s.input.fulfillmentHold.handle])).toEqual([
      ["gid://shopify/FulfillmentOrder/1", GATE_HOLD_HANDLE],
    ]);
    const held = atLab({
      status: "ON_HOLD",
      holds: [
        {
          id: "gid://shopify/FulfillmentHold/9",
          reason: "OTHER",
          reasonNotes: null,
          handle: GATE_HOLD_HANDLE,
          heldByRequestingApp: true,
        },
      ],
    });
    expect(gateHoldSteps(held)).toEqual([]);
    expect(gateHoldSteps(atLab({ requestStatus: "SUBMITTED" }))).toEqual([]);
  });

  test("never gates a fulfillment order the app's decision already holds (review, rule or merchant's hold)", () => {
    for (const handle of [ruleHoldHandle("rule-1", "review"), "fr-manual-1", "fr-default-review"]) {
      const decided = atLab({
        status: "ON_HOLD",
        holds: [
          {
            id: "gid://shopify/FulfillmentHold/7",
            reason: "OTHER",
            reasonNotes: null,
            handle,
            heldByRequestingApp: true,
          },
        ],
      });
      expect(gateHoldSteps(decided)).toEqual([]);
    }
    // Another app's hold with a handle like ours is not this app's decision.
    const othersOnly = atLab({
      status: "ON_HOLD",
      holds: [
        {
          id: "gid://shopify/FulfillmentHold/8",
          reason: "OTHER",
          reasonNotes: null,
          handle: ruleHoldHandle("rule-1", "review"),
          heldByRequestingApp: false,
        },
      ],
    });
    expect(gateHoldSteps(othersOnly)).toHaveLength(1);
  });

  test("the first plan that decides releases the gate hold, then sends the request", () => {
    const held = atLab({
      status: "ON_HOLD",
      holds: [
        {
          id: "gid://shopify/FulfillmentHold/9",
          reason: "OTHER",
          reasonNotes: null,
          handle: GATE_HOLD_HANDLE,
          heldByRequestingApp: true,
        },
      ],
    });
    const p = run(held, [toLab()]);
    expect(p.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderReleaseHold"]);
    expect(p.steps[0]!.why.text).toEqual(engineSaid("why.gateOpens"));
    expect(p.replanAfterApply).toBe(true);
  });
});

describe("the fulfilment request", () => {
  test("carries the rule's message and the order's personalisation, without private properties", () => {
    const p = run(atLab(), [toLab()]);
    const step = p.steps.find((s) => s.kind === "fulfillmentOrderSubmitFulfillmentRequest")!;
    expect(step.input).toMatchObject({
      message: "Lustre paper, please\nFine Art Print (A2) × 1: Crop: x=10,y=20,w=400,h=300",
    });
  });

  test("a rejection needs attention by default, moves elsewhere, or is fulfilled at one of the merchant's locations", () => {
    const rejected = atLab({ requestStatus: "REJECTED" });
    expect(run(rejected, [toLab()]).needsAttention[0]!.code).toBe("fulfilment_request_rejected");
    expect(run(rejected, [toLab({ then: "needs_attention" })]).steps).toEqual([]);
    const moved = run(rejected, [toLab({ then: "move", locationId: STUDIO.id })]);
    expect(moved.steps.map((s) => [s.kind, s.input])).toEqual([
      [
        "fulfillmentOrderMove",
        { id: "gid://shopify/FulfillmentOrder/1", newLocationId: STUDIO.id },
      ],
    ]);
    const home = run(rejected, [toLab({ then: "fulfil", locationId: STUDIO.id })]);
    expect(home.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderMove", "fulfillmentCreate"]);
    const nowhere = run(rejected, [toLab({ then: "fulfil", locationId: LAB.id })]);
    expect(nowhere.steps).toEqual([]);
    expect(nowhere.needsAttention[0]!.message.key).toBe(
      "engine.attention.rejectedFallbackIsService",
    );
  });
});

describe("a service that could not complete it (INCOMPLETE)", () => {
  test("needs attention naming the service, and the rules send nothing to it again, whatever their fallback", () => {
    const incomplete = atLab({ status: "INCOMPLETE", requestStatus: "CLOSED" });
    for (const rule of [toLab(), toLab({ then: "fulfil", locationId: STUDIO.id })]) {
      const p = run(incomplete, [rule]);
      expect(p.steps).toEqual([]);
      expect(p.fulfillmentOrders.map((o) => o.outcome)).toEqual(["needs_attention"]);
      expect(p.needsAttention.map((a) => [a.code, a.message.key])).toEqual([
        ["fulfilment_service_failed", "engine.attention.serviceFailedToComplete"],
      ]);
    }
  });
});

describe("work left on a cancelled fulfillment order", () => {
  const capture = aRule({
    name: "Capture when fulfilled",
    actions: [{ type: "capture_payment", when: "on_fulfilment" }],
  });

  test("is not finished: no capture on fulfilment, and the order needs attention", () => {
    const order = authorized();
    const cancelled = aSnapshot({
      order,
      lineItems: [crop],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [crop], {
          status: "CANCELLED",
          requestStatus: "CANCELLATION_ACCEPTED",
        }),
      ],
    });
    const p = run(cancelled, [capture]);
    expect(p.steps).toEqual([]);
    expect(p.needsAttention.map((a) => a.code)).toEqual(["work_left_behind"]);
  });

  test("taken over by an open fulfillment order, it is that one's to do: the rules do not ask the lab that gave it back again, the merchant is told", () => {
    const closed = aFulfillmentOrder(1, LAB, [[crop, { remainingQuantity: 0 }]], {
      status: "CLOSED",
      requestStatus: "CANCELLATION_ACCEPTED",
    });
    const returned = aSnapshot({
      lineItems: [crop],
      fulfillmentOrders: [closed, aFulfillmentOrder(2, LAB, [crop])],
    });
    const p = run(returned, [toLab()]);
    expect(p.steps).toEqual([]);
    expect(p.needsAttention.map((a) => [a.fulfillmentOrderId, a.message.key])).toEqual([
      ["gid://shopify/FulfillmentOrder/2", "engine.attention.workReturnedAfterCancellation"],
    ]);
    // Moved away by the merchant (at the Studio now), it is no longer the lab's to be asked.
    const moved = aSnapshot({
      lineItems: [crop],
      fulfillmentOrders: [closed, aFulfillmentOrder(2, STUDIO, [crop])],
    });
    expect(run(moved, [toLab()]).needsAttention).toEqual([]);
  });

  test("the fulfillment order a lab closed by accepting the cancellation is canceled, not done; one it closed by fulfilling is done; one closed with the work still on it needs attention", () => {
    const outcomes = (...fos: FulfillmentOrder[]) =>
      run(aSnapshot({ lineItems: [crop], fulfillmentOrders: fos }), [
        toLab(),
      ]).fulfillmentOrders.map((f) => f.outcome);
    const closedBy = (requestStatus: FulfillmentOrder["requestStatus"], remainingQuantity = 0) =>
      aFulfillmentOrder(1, LAB, [[crop, { remainingQuantity }]], {
        status: "CLOSED",
        requestStatus,
      });
    expect(outcomes(closedBy("CANCELLATION_ACCEPTED"), aFulfillmentOrder(2, LAB, [crop]))).toEqual([
      "cancelled",
      "needs_attention",
    ]);
    expect(outcomes(closedBy("ACCEPTED"))).toEqual(["done"]);
    // Taken back with fulfillmentOrderCancel before the service accepted.
    expect(outcomes(closedBy("SUBMITTED"), aFulfillmentOrder(2, LAB, [crop]))[0]).toBe("cancelled");
    expect(outcomes(closedBy("CANCELLATION_ACCEPTED", 1))).toEqual(["needs_attention"]);
  });
});
