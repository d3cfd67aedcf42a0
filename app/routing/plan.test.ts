import { describe, expect, test } from "vitest";
import { engineSaid, moneyWords, statusWords, words, type StoredWords } from "./words";
import { quoted } from "./plan-builder";
import { actionWords, conditionWords } from "./rule-words";

/** A Step's why when a rule asked for it. */
const ruleSaid = (rule: string, what: StoredWords) => engineSaid("why.rule", { rule, what });
/** Why a rule matched the one print line of onePrintAtStudio, its product type "Print" said. */
const printLineMatched = engineSaid("match.detail", {
  what: conditionWords({ field: "product_type", operator: "equals", value: "Print" }),
  detail: [engineSaid("match.lineWithSku", { title: "10x15 Lustre", sku: "PRINT-10x15-L" })],
});

/** The trace's line for a later rule's action that an earlier rule already decides. */
const ignoredSaid = (rule: string, action: Action, why: string, earlier: string, at?: string) =>
  engineSaid("explain.ignored", {
    rule,
    action: actionWords(action, () => at),
    because: engineSaid(`explain.ignoredBecause.${why}`, { rule: earlier }),
  });
import type { CapabilityProfile } from "./capability";
import { DEFAULT_REVIEW_HOLD_HANDLE, GATE_HOLD_HANDLE, ruleHoldHandle } from "./holds";
import { plan, type Plan, type PlanOptions } from "./plan";
import type { Action, Condition, Rule, RoutingSettings } from "./rules";
import type { FulfillmentHold, OrderSnapshot } from "./snapshot";
import {
  aMetallicPrint,
  aDownload,
  aFulfillmentOrder,
  aLine,
  aMug,
  anOrder,
  aRule,
  aSnapshot,
  authorized,
  LAB,
  LAB_PROFILE,
  NOW,
  PARTNER,
  onePrintAtStudio,
  PLACED_AT,
  PROFILES,
  SETTINGS,
  STUDIO,
  WAREHOUSE,
} from "./testing.fixtures";
import {
  MODEL_READINGS,
  acceptRequest,
  applyPlan,
  closeFulfillmentOrder,
} from "./testing.shopify-model";

/** The step that holds a fulfillment order at the Studio for stock, saying what waits on it. */
const heldForStock = (title: string, waiting: number, quantity: number) =>
  engineSaid("step.holdForStockCounted", {
    location: "Studio",
    lines: [engineSaid("stock.waitingLine", { title: quoted(title), waiting, quantity })],
  });

const FO1 = "gid://shopify/FulfillmentOrder/1";
const FO2 = "gid://shopify/FulfillmentOrder/2";
const isPrint: Condition = { field: "product_type", operator: "equals", value: "Print" };

function run(
  snapshot: OrderSnapshot,
  rules: Rule[],
  settings: RoutingSettings = SETTINGS,
  options: Partial<PlanOptions> = {},
  profiles: CapabilityProfile[] = PROFILES,
): Plan {
  return plan(snapshot, rules, settings, profiles, { now: NOW, ...options });
}

function summaries(result: Plan): StoredWords[] {
  return result.steps.map((step) => step.summary);
}

function texts(result: Plan): StoredWords[] {
  return result.explanation.map((e) => e.text);
}

function minutesAfterPlacing(minutes: number): string {
  return new Date(Date.parse(PLACED_AT) + minutes * 60_000).toISOString();
}

/** Applies plans until one has nothing left to do; returns every step's summary on the way. */
function settle(
  snapshot: OrderSnapshot,
  rules: Rule[],
  settings = SETTINGS,
  options: Partial<PlanOptions> = {},
) {
  const done: StoredWords[] = [];
  let current = snapshot;
  for (let round = 0; round < 10; round++) {
    const result = run(current, rules, settings, options);
    if (result.steps.length === 0) return { snapshot: current, done, last: result };
    done.push(...summaries(result));
    current = applyPlan(current, result);
  }
  throw new Error("did not settle");
}

function rule(
  name: string,
  actions: Action[],
  conditions: Condition[] = [isPrint],
  extra: Partial<Rule> = {},
): Rule {
  return aRule({ name, actions, ...extra }, conditions);
}

const heldBySomeoneElse: FulfillmentHold = {
  id: "gid://shopify/FulfillmentHold/77",
  reason: "AWAITING_PAYMENT",
  reasonNotes: "Waiting for the bank transfer",
  handle: null,
  heldByRequestingApp: false,
};

describe("fulfil automatically", () => {
  test("marks what the merchant ships as fulfilled, notifying the customer as Settings say", () => {
    const r = rule("Ship prints", [{ type: "fulfil_automatically" }]);
    const result = run(onePrintAtStudio(), [r]);
    expect(result.steps).toEqual([
      {
        key: expect.stringMatching(/^1001:1:fulfillmentCreate:[0-9a-f]{16}$/),
        kind: "fulfillmentCreate",
        orderId: "gid://shopify/Order/1001",
        fulfillmentOrderId: FO1,
        input: {
          fulfillment: {
            lineItemsByFulfillmentOrder: [
              {
                fulfillmentOrderId: FO1,
                fulfillmentOrderLineItems: [
                  { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 1 },
                ],
              },
            ],
            notifyCustomer: true,
          },
        },
        summary: engineSaid("step.fulfill", {
          count: 1,
          location: "Studio",
          notify: engineSaid("step.notified"),
        }),
        why: {
          source: "rule",
          ruleId: r.id,
          ruleName: "Ship prints",
          text: ruleSaid("Ship prints", actionWords({ type: "fulfil_automatically" })),
          matched: engineSaid("match.matched", { rule: "Ship prints", because: printLineMatched }),
        },
      },
    ]);
    expect(result.fulfillmentOrders).toEqual([
      {
        fulfillmentOrderId: FO1,
        locationName: "Studio",
        matchedRuleIds: [r.id],
        usedDefault: false,
        outcome: "fulfilling",
      },
    ]);
  });

  test("the rule's notify setting beats Settings, and only what remains is fulfilled", () => {
    const print = aLine(1, { quantity: 3 });
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [[print, { remainingQuantity: 2 }]])],
    });
    const result = run(snapshot, [
      rule("Quiet", [{ type: "fulfil_automatically", notifyCustomer: false }]),
    ]);
    expect(result.steps[0]?.input).toEqual({
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: FO1,
            fulfillmentOrderLineItems: [
              { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 2 },
            ],
          },
        ],
        notifyCustomer: false,
      },
    });
    expect(summaries(result)).toEqual([
      engineSaid("step.fulfill", {
        count: 2,
        location: "Studio",
        notify: engineSaid("step.notNotified"),
      }),
    ]);
  });

  test("a fulfillment order a fulfilment service owns is sent to it as a request instead", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [print])],
    });
    const result = run(snapshot, [rule("Ship prints", [{ type: "fulfil_automatically" }])]);
    expect(result.steps.map((s) => [s.kind, s.input, s.why.text])).toEqual([
      [
        "fulfillmentOrderSubmitFulfillmentRequest",
        { id: FO1, notifyCustomer: true },
        ruleSaid(
          "Ship prints",
          engineSaid("why.serviceOwnsIt", {
            what: actionWords({ type: "fulfil_automatically" }),
            service: "WHCC Lab",
          }),
        ),
      ],
    ]);
  });

  test("after it is fulfilled, planning again does nothing", () => {
    const rules = [rule("Ship prints", [{ type: "fulfil_automatically" }])];
    const { done, last } = settle(onePrintAtStudio(), rules);
    expect(done).toEqual([
      engineSaid("step.fulfill", {
        count: 1,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
    expect(last.fulfillmentOrders[0]?.outcome).toBe("done");
  });
});

describe("hold for review", () => {
  const review = rule("Lab prints", [
    { type: "hold_for_review", note: "check the crop" },
    { type: "submit_fulfilment_request", message: "Rush" },
  ]);
  const atLab = () => {
    const print = aLine(1);
    return aSnapshot({
      order: authorized(),
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [print])],
    });
  };

  test("holds with this app's handle and a note the merchant can read in Shopify", () => {
    const result = run(atLab(), [review]);
    expect(result.steps.map((s) => [s.kind, s.input, s.summary])).toEqual([
      [
        "fulfillmentOrderHold",
        {
          id: FO1,
          fulfillmentHold: {
            reason: "OTHER",
            reasonNotes: 'Waiting for your review (rule "Lab prints"): check the crop',
            handle: ruleHoldHandle(review.id, "review"),
            notifyMerchant: false,
          },
        },
        engineSaid("step.holdForReview", { location: "WHCC Lab" }),
      ],
    ]);
    expect(result.fulfillmentOrders[0]?.outcome).toBe("held");
    expect(result.replanAfterApply).toBe(false);
  });

  test("held means held: nothing more is planned until the merchant approves", () => {
    const held = applyPlan(atLab(), run(atLab(), [review]));
    const again = run(held, [review]);
    expect(again.steps).toEqual([]);
    expect(texts(again)).toContainEqual(
      engineSaid("explain.alreadyHeld", { hold: engineSaid("hold.review") }),
    );
  });

  test("approval releases the review hold, then the rule's request goes out, then nothing", () => {
    const held = applyPlan(atLab(), run(atLab(), [review]));
    const approved = run(held, [review], SETTINGS, { approvals: [FO1] });
    expect(approved.steps.map((s) => [s.kind, s.input, s.why])).toEqual([
      [
        "fulfillmentOrderReleaseHold",
        { id: FO1, holdIds: [held.fulfillmentOrders[0]?.holds[0]?.id] },
        {
          source: "approval",
          ruleId: null,
          ruleName: null,
          text: engineSaid("why.approved"),
          matched: null,
        },
      ],
    ]);
    expect(approved.replanAfterApply).toBe(true);
    const released = applyPlan(held, approved);
    const sent = run(released, [review], SETTINGS, { approvals: [FO1] });
    expect(sent.steps.map((s) => [s.kind, s.input])).toEqual([
      [
        "fulfillmentOrderSubmitFulfillmentRequest",
        { id: FO1, message: "Rush", notifyCustomer: true },
      ],
    ]);
    expect(run(applyPlan(released, sent), [review], SETTINGS, { approvals: [FO1] }).steps).toEqual(
      [],
    );
  });

  test("an approval given before the hold was placed means no hold at all", () => {
    const result = run(atLab(), [review], SETTINGS, { approvals: [FO1] });
    expect(summaries(result)).toEqual([engineSaid("step.request", { service: "WHCC Lab" })]);
    expect(texts(result)).toContainEqual(engineSaid("explain.approvedLifted"));
  });

  test("Settings can release reviews by themselves, counted from when the order was placed", () => {
    const settings = { ...SETTINGS, autoReleaseAfterMinutes: 30 };
    const early = run(atLab(), [review], settings);
    expect(early.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderHold"]);
    expect(early.replanAt).toBe(minutesAfterPlacing(30));

    const held = applyPlan(atLab(), early);
    const late = run(held, [review], settings, { now: minutesAfterPlacing(31) });
    expect(late.steps.map((s) => [s.kind, s.why.text])).toEqual([
      ["fulfillmentOrderReleaseHold", engineSaid("why.holdTimeUp")],
    ]);
    expect(late.replanAt).toBeNull();

    const neverHeld = run(atLab(), [review], settings, { now: minutesAfterPlacing(31) });
    expect(summaries(neverHeld)).toEqual([engineSaid("step.request", { service: "WHCC Lab" })]);
    expect(texts(neverHeld)).toContainEqual(
      engineSaid("explain.holdTimeUp", { hold: engineSaid("hold.review"), count: 30 }),
    );
  });
});

describe("hold with one of Shopify's reasons", () => {
  test("the reason and the merchant's note go to Shopify", () => {
    const risky = rule(
      "Risky",
      [{ type: "hold", reason: "HIGH_RISK_OF_FRAUD", note: "Call the customer" }],
      [{ field: "risk_level", operator: "equals", value: "HIGH" }],
    );
    const result = run(onePrintAtStudio(anOrder({ riskLevel: "HIGH" })), [risky]);
    expect(result.steps.map((s) => [s.input, s.summary])).toEqual([
      [
        {
          id: FO1,
          fulfillmentHold: {
            reason: "HIGH_RISK_OF_FRAUD",
            reasonNotes: "Call the customer",
            handle: ruleHoldHandle(risky.id, "rule"),
            notifyMerchant: false,
          },
        },
        engineSaid("step.holdWithReason", {
          reason: words("holdReason.HIGH_RISK_OF_FRAUD"),
          location: "Studio",
        }),
      ],
    ]);
  });

  test("without a note, the reason and rule are the note", () => {
    const odd = rule("Odd address", [{ type: "hold", reason: "INCORRECT_ADDRESS" }], []);
    const step = run(onePrintAtStudio(), [odd]).steps[0];
    expect(step?.kind === "fulfillmentOrderHold" && step.input.fulfillmentHold.reasonNotes).toBe(
      'Incorrect address (rule "Odd address")',
    );
  });

  test("released after its delay, and the plan says when to look again", () => {
    const wait = rule(
      "Wait a bit",
      [{ type: "hold", reason: "UNKNOWN_DELIVERY_DATE", releaseAfterMinutes: 60 }],
      [],
    );
    const early = run(onePrintAtStudio(), [wait]);
    expect(early.replanAt).toBe(minutesAfterPlacing(60));
    const held = applyPlan(onePrintAtStudio(), early);
    expect(run(held, [wait], SETTINGS, { now: minutesAfterPlacing(59) }).steps).toEqual([]);
    expect(
      run(held, [wait], SETTINGS, { now: minutesAfterPlacing(60) }).steps.map((s) => s.kind),
    ).toEqual(["fulfillmentOrderReleaseHold"]);
  });

  test("when Shopify does not allow a hold, the order needs attention instead", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print], { supportedActions: ["CREATE_FULFILLMENT"] }),
      ],
    });
    const result = run(snapshot, [rule("Risky", [{ type: "hold", reason: "OTHER" }])]);
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => [r.code, r.message])).toEqual([
      [
        "not_allowed_by_shopify",
        engineSaid("attention.holdNotAllowed", {
          hold: engineSaid("hold.rule", { reason: words("holdReason.OTHER") }),
          location: "Studio",
          status: words("findings.status.OPEN"),
        }),
      ],
    ]);
  });

  test("a closed fulfillment order is never held", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [[print, { remainingQuantity: 0 }]], { status: "CLOSED" }),
      ],
    });
    const result = run(snapshot, [rule("Risky", [{ type: "hold", reason: "OTHER" }])]);
    expect(result.steps).toEqual([]);
    expect(texts(result)).toContainEqual(
      engineSaid("explain.finished", { location: "Studio", status: statusWords("CLOSED") }),
    );
  });
});

describe("release holds", () => {
  const withHolds = (holds: FulfillmentHold[]) => {
    const print = aLine(1);
    return aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print], { status: "ON_HOLD", holds })],
    });
  };

  test("a rule releasing holds stops later rules from holding", () => {
    const approvedTag = rule(
      "Approved",
      [{ type: "release_holds", placedBy: "this_app" }],
      [{ field: "order_tag", operator: "contains", value: "approved" }],
      { keepChecking: true, position: 0 },
    );
    const review = rule("Review prints", [{ type: "hold_for_review" }], [isPrint], { position: 1 });
    const result = run(onePrintAtStudio(anOrder({ tags: ["approved"] })), [approvedTag, review]);
    expect(result.steps).toEqual([]);
    expect(texts(result)).toContainEqual(
      ignoredSaid("Review prints", { type: "hold_for_review" }, "release", "Approved"),
    );
  });

  test("'anyone' releases holds others placed; 'this app' leaves them alone", () => {
    const all = rule("Let go", [{ type: "release_holds", placedBy: "anyone" }], []);
    const released = run(withHolds([heldBySomeoneElse]), [all]);
    expect(released.steps.map((s) => [s.kind, s.input, s.why.text])).toEqual([
      [
        "fulfillmentOrderReleaseHold",
        { id: FO1, holdIds: [heldBySomeoneElse.id] },
        ruleSaid("Let go", actionWords({ type: "release_holds", placedBy: "anyone" })),
      ],
    ]);
    const ours = rule("Let go of ours", [{ type: "release_holds", placedBy: "this_app" }], []);
    const untouched = run(withHolds([heldBySomeoneElse]), [ours]);
    expect(untouched.steps).toEqual([]);
    expect(texts(untouched)).toContainEqual(
      engineSaid("explain.heldByOthers", { reasons: ["Waiting for the bank transfer"] }),
    );
  });

  test("a hold the rules no longer ask for is released", () => {
    const stale: FulfillmentHold = {
      id: "gid://shopify/FulfillmentHold/5",
      reason: "OTHER",
      reasonNotes: null,
      handle: ruleHoldHandle("deleted-rule", "review"),
    };
    const result = run(withHolds([stale]), []);
    expect(result.steps.map((s) => [s.kind, s.why.text])).toEqual([
      ["fulfillmentOrderReleaseHold", engineSaid("why.noRuleAsks")],
    ]);
  });

  test("holds the merchant placed by hand through the app, or other apps placed, are never released by accident", () => {
    const manual: FulfillmentHold = {
      id: "gid://shopify/FulfillmentHold/6",
      reason: "OTHER",
      reasonNotes: "Me",
      handle: "fr-manual-1",
    };
    const otherApp: FulfillmentHold = {
      id: "gid://shopify/FulfillmentHold/7",
      reason: "OTHER",
      reasonNotes: "App",
      handle: ruleHoldHandle("x", "review"),
      heldByRequestingApp: false,
    };
    expect(
      run(withHolds([manual, otherApp]), [], { ...SETTINGS, defaultMode: "automatic" }).steps,
    ).toEqual([]);
  });
});

describe("split", () => {
  test("by vendor: each vendor's lines go in their own fulfillment order", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print, mug])],
    });
    const byVendor = rule("One parcel per vendor", [{ type: "split", by: "vendor" }], []);
    const result = run(snapshot, [byVendor]);
    expect(result.steps.map((s) => [s.kind, s.input, s.summary, s.why.text])).toEqual([
      [
        "fulfillmentOrderSplit",
        {
          fulfillmentOrderSplits: [
            {
              fulfillmentOrderId: FO1,
              fulfillmentOrderLineItems: [
                { id: "gid://shopify/FulfillmentOrderLineItem/102", quantity: 1 },
              ],
            },
          ],
        },
        engineSaid("step.split", { count: 1, location: "Studio", lines: [quoted("Mug 11oz")] }),
        ruleSaid("One parcel per vendor", engineSaid("why.splitByVendor", { vendor: "Acme" })),
      ],
    ]);
    expect(result.replanAfterApply).toBe(true);
    const { snapshot: after } = settle(snapshot, [byVendor]);
    expect(after.fulfillmentOrders.map((fo) => fo.lineItems.map((l) => l.lineItemId))).toEqual([
      [print.id],
      [mug.id],
    ]);
  });

  test("by stock: ship what is in stock now; the rest waits on hold until stock arrives", () => {
    const print = aLine(1);
    const mug = aMug(2, { quantity: 2 });
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [print, { inStockQuantity: 5 }],
          [mug, { inStockQuantity: 1 }],
        ]),
      ],
    });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
      [],
    );
    const first = run(snapshot, [stock]);
    const mugLine = engineSaid("stock.line", { title: quoted("Mug 11oz"), ready: 1, quantity: 2 });
    expect(summaries(first)).toEqual([
      engineSaid("step.splitForStock", {
        location: "Studio",
        ready: 2,
        waiting: 1,
        lines: [mugLine],
      }),
    ]);
    const split = applyPlan(snapshot, first);
    const second = run(split, [stock]);
    expect(second.steps.map((s) => [s.kind, s.fulfillmentOrderId, s.summary])).toEqual([
      ["fulfillmentOrderHold", FO2, heldForStock("Mug 11oz", 1, 2)],
      [
        "fulfillmentCreate",
        FO1,
        engineSaid("step.fulfill", {
          count: 2,
          location: "Studio",
          notify: engineSaid("step.notified"),
        }),
      ],
    ]);
    expect(
      second.steps[0]?.kind === "fulfillmentOrderHold" &&
        second.steps[0].input.fulfillmentHold.reason,
    ).toBe("INVENTORY_OUT_OF_STOCK");

    // Stock arrives: the hold goes, then the rest ships.
    const waiting = applyPlan(split, second);
    const restocked = structuredClone(waiting);
    for (const line of restocked.fulfillmentOrders[1]?.lineItems ?? []) line.inStockQuantity = 1;
    const third = run(restocked, [stock]);
    expect(third.steps.map((s) => [s.kind, s.why.text])).toEqual([
      ["fulfillmentOrderReleaseHold", engineSaid("why.inStock")],
    ]);
    expect(summaries(run(applyPlan(restocked, third), [stock]))).toEqual([
      engineSaid("step.fulfill", {
        count: 1,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
  });

  test("by stock: the hold's note says how many of each line wait, in the words the caller writes for Shopify (PlanOptions.writeNote, ADR 088); without one the plain note", () => {
    const print = aLine(1);
    const mug = aMug(2, { quantity: 2 });
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [print, { inStockQuantity: 5 }],
          [mug, { inStockQuantity: 1 }],
        ]),
      ],
    });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
      [],
    );
    const split = applyPlan(snapshot, run(snapshot, [stock]));
    const noteOf = (p: Plan) => {
      const step = p.steps[0];
      return step?.kind === "fulfillmentOrderHold" ? step.input.fulfillmentHold.reasonNotes : null;
    };
    // A stand-in writer: the Words themselves, as JSON.
    expect(
      JSON.parse(noteOf(run(split, [stock], SETTINGS, { writeNote: JSON.stringify }))!),
    ).toEqual(
      engineSaid("stock.holdNote", {
        lines: [
          engineSaid("stock.waitingLine", { title: quoted("Mug 11oz"), waiting: 1, quantity: 2 }),
        ],
        location: "Studio",
        rule: "Ship what we have",
      }),
    );
    expect(noteOf(run(split, [stock]))).toBe(
      'Waiting for stock at Studio (rule "Ship what we have")',
    );
  });

  test("by stock: the hold's step and the trace say which item waits, how many of how many, at which location, as Words the screens put in the reader's language", () => {
    const print = aLine(1);
    const mug = aMug(2, { quantity: 2 });
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [print, { inStockQuantity: 5 }],
          [mug, { inStockQuantity: 1 }],
        ]),
      ],
    });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
      [],
    );
    const split = applyPlan(snapshot, run(snapshot, [stock]));
    const second = run(split, [stock]);
    const lines = [
      engineSaid("stock.waitingLine", { title: quoted("Mug 11oz"), waiting: 1, quantity: 2 }),
    ];
    expect(second.steps[0]?.summary).toEqual(
      engineSaid("step.holdForStockCounted", { location: "Studio", lines }),
    );
    expect(texts(second)).toContainEqual(
      engineSaid("explain.stockWaits", { rule: "Ship what we have", location: "Studio", lines }),
    );
    // Still waiting the next time the order is decided: the trace says it again.
    expect(texts(run(applyPlan(split, second), [stock]))).toContainEqual(
      engineSaid("explain.stockWaits", { rule: "Ship what we have", location: "Studio", lines }),
    );
  });

  test("by stock: a line with 2 of 3 in stock keeps 2 to ship now and splits 1 off to wait, held for Shopify's INVENTORY_OUT_OF_STOCK", () => {
    const boards = aMug(1, { title: "Mount Board", quantity: 3 });
    const snapshot = aSnapshot({
      lineItems: [boards],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [[boards, { inStockQuantity: 2 }]])],
    });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
      [],
    );
    const first = run(snapshot, [stock]);
    expect(first.steps.map((s) => [s.kind, s.input])).toEqual([
      [
        "fulfillmentOrderSplit",
        {
          fulfillmentOrderSplits: [
            {
              fulfillmentOrderId: FO1,
              fulfillmentOrderLineItems: [
                { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 1 },
              ],
            },
          ],
        },
      ],
    ]);
    const lines = [
      engineSaid("stock.line", { title: quoted("Mount Board"), ready: 2, quantity: 3 }),
    ];
    expect(texts(first)).toContainEqual(
      engineSaid("explain.stockSplit", {
        rule: "Ship what we have",
        location: "Studio",
        ready: 2,
        waiting: 1,
        lines,
      }),
    );
    // The 2 in stock ship; the 1 that waits is held until stock arrives.
    const { snapshot: after, done } = settle(snapshot, [stock]);
    expect(done.slice(1)).toEqual([
      heldForStock("Mount Board", 1, 3),
      engineSaid("step.fulfill", {
        count: 2,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
    expect(
      after.fulfillmentOrders.map((fo) => [
        fo.status,
        fo.lineItems.map((l) => [l.totalQuantity, l.remainingQuantity]),
        fo.holds.map((h) => h.reason),
      ]),
    ).toEqual([
      ["CLOSED", [[2, 0]], []],
      ["ON_HOLD", [[1, 1]], ["INVENTORY_OUT_OF_STOCK"]],
    ]);
  });

  test("by stock: some of what waited held for stock arrives: the hold comes off first, then what still waits is split off and held again, and what came ships", () => {
    const boards = aMug(1, { title: "Mount Board", quantity: 3 });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
      [],
    );
    const snapshot = aSnapshot({
      lineItems: [boards],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [[boards, { inStockQuantity: 1 }]], {
          status: "ON_HOLD",
          supportedActions: ["RELEASE_HOLD", "HOLD"],
          holds: [
            {
              id: "gid://shopify/FulfillmentHold/5",
              reason: "INVENTORY_OUT_OF_STOCK",
              reasonNotes: "Waiting for stock at Studio",
              handle: ruleHoldHandle(stock.id, "stock"),
              heldByRequestingApp: true,
            },
          ],
        }),
      ],
    });
    const first = run(snapshot, [stock]);
    expect(first.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderReleaseHold"]);
    expect(first.needsAttention).toEqual([]);
    expect(texts(first)).toContainEqual(
      engineSaid("explain.stockOffToSplit", { location: "Studio", ready: 1, waiting: 2 }),
    );
    const { snapshot: after } = settle(snapshot, [stock]);
    expect(
      after.fulfillmentOrders.map((fo) => [
        fo.status,
        fo.lineItems.map((l) => [l.totalQuantity, l.remainingQuantity]),
        fo.holds.map((h) => h.reason),
      ]),
    ).toEqual([
      ["CLOSED", [[1, 0]], []],
      ["ON_HOLD", [[2, 2]], ["INVENTORY_OUT_OF_STOCK"]],
    ]);
  });

  test("by stock: held by someone else with some in stock, it cannot split: it waits for stock too, without the merchant's attention, counting only what is not in stock as waiting", () => {
    const boards = aMug(1, { title: "Mount Board", quantity: 3 });
    const snapshot = aSnapshot({
      lineItems: [boards],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [[boards, { inStockQuantity: 2 }]], {
          status: "ON_HOLD",
          supportedActions: ["RELEASE_HOLD", "HOLD"],
          holds: [heldBySomeoneElse],
        }),
      ],
    });
    const result = run(snapshot, [rule("Stock", [{ type: "split", by: "stock" }], [])]);
    expect(result.needsAttention).toEqual([]);
    // 2 of the 3 are in stock and wait for the other hold: 1 waits for stock.
    expect(summaries(result)).toEqual([heldForStock("Mount Board", 1, 3)]);
  });

  test("by stock: nothing of any line in stock holds the fulfillment order whole, split off nothing", () => {
    const boards = aMug(1, { title: "Mount Board", quantity: 3 });
    const print = aLine(2, { quantity: 2 });
    const snapshot = aSnapshot({
      lineItems: [boards, print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [boards, { inStockQuantity: 0 }],
          [print, { inStockQuantity: 0 }],
        ]),
      ],
    });
    const result = run(snapshot, [rule("Stock", [{ type: "split", by: "stock" }], [])]);
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderHold"]);
  });

  test("by stock: approving does not make stock, so the stock hold stays", () => {
    const mug = aMug(1);
    const snapshot = aSnapshot({
      lineItems: [mug],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [[mug, { inStockQuantity: 0 }]])],
    });
    const stock = rule(
      "Ship what we have",
      [{ type: "split", by: "stock" }, { type: "hold_for_review" }],
      [],
    );
    const result = run(snapshot, [stock], SETTINGS, { approvals: [FO1] });
    expect(summaries(result)).toEqual([heldForStock("Mug 11oz", 1, 1)]);
  });

  test("by stock: untracked inventory counts as in stock", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [[print, { inStockQuantity: null }]])],
    });
    expect(run(snapshot, [rule("Stock", [{ type: "split", by: "stock" }], [])]).steps).toEqual([]);
  });

  test("by stock: a line whose stock Shopify does not hold at its location stays, and the trace says so", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [
          [print, { inStockQuantity: 1 }],
          [mug, { stockUnknown: true }],
        ]),
      ],
    });
    const result = run(snapshot, [rule("Stock", [{ type: "split", by: "stock" }], [])]);
    expect(result.steps).toEqual([]);
    expect(result.explanation).toContainEqual({
      fulfillmentOrderId: FO1,
      ruleId: expect.any(String),
      text: engineSaid("explain.stockUnknown", {
        rule: "Stock",
        location: "Studio",
        lines: "Mug 11oz",
      }),
    });
  });

  test("by a line condition of its own, or the rule's", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print, mug])],
    });
    const own = rule(
      "Mugs apart",
      [
        {
          type: "split",
          by: "line_condition",
          conditions: [{ field: "product_type", operator: "equals", value: "Mug" }],
        },
      ],
      [],
    );
    expect(summaries(run(snapshot, [own]))).toEqual([
      engineSaid("step.split", { count: 1, location: "Studio", lines: [quoted("Mug 11oz")] }),
    ]);
    const rules = rule("Prints apart", [{ type: "split", by: "line_condition" }], [isPrint]);
    expect(summaries(run(snapshot, [rules]))).toEqual([
      engineSaid("step.split", { count: 1, location: "Studio", lines: [quoted("10x15 Lustre")] }),
    ]);
  });

  test("nothing to split when every line, or no line, qualifies", () => {
    const split = rule("Prints apart", [{ type: "split", by: "line_condition" }], [isPrint]);
    expect(run(onePrintAtStudio(), [split]).steps).toEqual([]);
  });

  test("when Shopify does not allow a split, the order needs attention and is not sent as it is", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print, mug], {
          supportedActions: ["CREATE_FULFILLMENT", "HOLD"],
        }),
      ],
    });
    const result = run(snapshot, [
      rule("Per vendor", [{ type: "split", by: "vendor" }, { type: "fulfil_automatically" }], []),
    ]);
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => r.message)).toEqual([
      engineSaid("attention.splitNotAllowed", { rule: "Per vendor", location: "Studio" }),
    ]);
  });

  test("held only by the release gate, the gate comes off first and the next round splits; anyone else's hold still stops the split", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const held = (hold: FulfillmentHold) =>
      aSnapshot({
        lineItems: [print, mug],
        fulfillmentOrders: [
          aFulfillmentOrder(1, LAB, [print, mug], { status: "ON_HOLD", holds: [hold] }),
        ],
      });
    const perVendor = rule("Per vendor", [{ type: "split", by: "vendor" }], []);
    const gate: FulfillmentHold = {
      id: "gid://shopify/FulfillmentHold/7",
      reason: "OTHER",
      reasonNotes: null,
      handle: GATE_HOLD_HANDLE,
      heldByRequestingApp: true,
    };
    const first = run(held(gate), [perVendor]);
    expect(first.steps.map((s) => [s.kind, s.input])).toEqual([
      ["fulfillmentOrderReleaseHold", { id: FO1, holdIds: [gate.id] }],
    ]);
    expect(first.needsAttention).toEqual([]);
    expect(texts(first)).toContainEqual(engineSaid("explain.gateOffToRoute"));
    expect(first.replanAfterApply).toBe(true);
    expect(run(applyPlan(held(gate), first), [perVendor]).steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderSplit",
    ]);

    const staff: FulfillmentHold = { ...gate, handle: null, heldByRequestingApp: false };
    const blocked = run(held(staff), [perVendor]);
    expect(blocked.steps).toEqual([]);
    expect(blocked.needsAttention.map((r) => r.message)).toEqual([
      engineSaid("attention.splitNotAllowed", { rule: "Per vendor", location: LAB.name }),
    ]);
  });
});

describe("a move of some lines (split by capability, ADR 030)", () => {
  const lustre = aLine(1);
  const metallic = aMetallicPrint(2);
  const byCapability = rule(
    "Production",
    [
      { type: "split", by: "capability" },
      { type: "submit_fulfilment_request", message: "Thanks" },
    ],
    [],
  );
  /** The Studio's print sold out there, so Shopify sent it to the lab with the lab's own print. */
  const atTheLab = (overrides: Parameters<typeof aFulfillmentOrder>[3] = {}) =>
    aSnapshot({
      lineItems: [lustre, metallic],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [lustre, metallic], overrides)],
    });
  const gate: FulfillmentHold = {
    id: "gid://shopify/FulfillmentHold/7",
    reason: "OTHER",
    reasonNotes: null,
    handle: GATE_HOLD_HANDLE,
    heldByRequestingApp: true,
  };

  test("the Studio's line goes home in one move of just that line, and the lab is asked for its own once the move is done", () => {
    const first = run(atTheLab(), [byCapability]);
    expect(first.steps.map((s) => [s.kind, s.input])).toEqual([
      [
        "fulfillmentOrderMove",
        {
          id: FO1,
          newLocationId: STUDIO.id,
          fulfillmentOrderLineItems: [
            { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 1 },
          ],
        },
      ],
    ]);
    // Nothing else happens to the lab's fulfillment order in the round that moves lines off it.
    expect(first.replanAfterApply).toBe(true);
    for (const readings of MODEL_READINGS) {
      const after = applyPlan(atTheLab(), first, readings);
      const second = run(after, [byCapability]);
      expect(
        second.steps.map((s) => s.kind),
        readings.partialMove,
      ).toEqual(["fulfillmentOrderSubmitFulfillmentRequest"]);
      const labPart = after.fulfillmentOrders.find(
        (fo) => fo.status === "OPEN" && fo.assignedLocation.locationId === LAB.id,
      );
      expect(second.steps[0]?.input).toMatchObject({ id: labPart?.id });
      expect(labPart?.lineItems.map((l) => l.lineItemId)).toEqual([metallic.id]);
    }
  });

  test("the same move planned again on the same state has the same key; a whole move keeps the key it always had (no line items)", () => {
    const [partial] = run(atTheLab(), [byCapability]).steps;
    expect(run(structuredClone(atTheLab()), [byCapability]).steps[0]?.key).toBe(partial?.key);
    const [whole] = run(
      aSnapshot({
        lineItems: [metallic],
        fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [metallic])],
      }),
      [byCapability],
    ).steps;
    expect(whole?.input).toEqual({ id: FO1, newLocationId: LAB.id });
    expect(whole?.key).not.toBe(partial?.key);
  });

  test("held only by the release gate, the gate comes off first and the next round moves the line (ADR 028); anyone else's hold still stops the move", () => {
    const first = run(atTheLab({ status: "ON_HOLD", holds: [gate] }), [byCapability]);
    expect(first.steps.map((s) => [s.kind, s.input])).toEqual([
      ["fulfillmentOrderReleaseHold", { id: FO1, holdIds: [gate.id] }],
    ]);
    expect(texts(first)).toContainEqual(engineSaid("explain.gateOffToRoute"));
    const second = run(applyPlan(atTheLab({ status: "ON_HOLD", holds: [gate] }), first), [
      byCapability,
    ]);
    expect(second.steps.map((s) => [s.kind, s.input])).toEqual([
      [
        "fulfillmentOrderMove",
        {
          id: FO1,
          newLocationId: STUDIO.id,
          fulfillmentOrderLineItems: [
            { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 1 },
          ],
        },
      ],
    ]);

    const blocked = run(atTheLab({ status: "ON_HOLD", holds: [heldBySomeoneElse] }), [
      byCapability,
    ]);
    expect(blocked.steps).toEqual([]);
    expect(blocked.needsAttention.map((r) => r.message)).toEqual([
      engineSaid("attention.moveNotAllowed", { location: LAB.name, to: STUDIO.name }),
    ]);
  });

  test("a request the lab has (submitted or accepted) is not moved off: the rules leave what a fulfillment service works on alone", () => {
    for (const requestStatus of ["SUBMITTED", "ACCEPTED"] as const) {
      const result = run(
        atTheLab({
          requestStatus,
          status: requestStatus === "ACCEPTED" ? "IN_PROGRESS" : "OPEN",
          supportedActions: ["REQUEST_CANCELLATION"],
        }),
        [byCapability],
      );
      expect(
        result.steps.filter((s) => s.kind === "fulfillmentOrderMove"),
        requestStatus,
      ).toEqual([]);
    }
  });
});

describe("merge", () => {
  const twoAtStudio = () => {
    const print = aLine(1);
    const mug = aMug(2);
    return aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, STUDIO, [mug]),
      ],
    });
  };
  const merge = rule("One parcel", [{ type: "merge" }, { type: "fulfil_automatically" }], []);

  test("fulfillment orders at one location become one, then are sent together", () => {
    const result = run(twoAtStudio(), [merge]);
    expect(result.steps.map((s) => [s.kind, s.fulfillmentOrderId, s.input, s.summary])).toEqual([
      [
        "fulfillmentOrderMerge",
        FO1,
        {
          fulfillmentOrderMergeInputs: [
            { mergeIntents: [{ fulfillmentOrderId: FO1 }, { fulfillmentOrderId: FO2 }] },
          ],
        },
        engineSaid("step.merge", { count: 2, location: "Studio" }),
      ],
    ]);
    const { done } = settle(twoAtStudio(), [merge]);
    expect(done).toEqual([
      engineSaid("step.merge", { count: 2, location: "Studio" }),
      engineSaid("step.fulfill", {
        count: 2,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
  });

  test("fulfillment orders at different locations are not merged", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, WAREHOUSE, [mug]),
      ],
    });
    const result = run(snapshot, [merge]);
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentCreate", "fulfillmentCreate"]);
    expect(texts(result)).toContainEqual(
      engineSaid("explain.nothingToMerge", { location: "Studio" }),
    );
  });

  test("only fulfillment orders whose own rules say merge are merged", () => {
    const onlyPrints = rule("Merge prints", [{ type: "merge" }], [isPrint]);
    expect(run(twoAtStudio(), [onlyPrints]).steps).toEqual([]);
  });

  test("a merge that another rule would split again is not made, and the merchant reads why", () => {
    // Found by the planner's property test: "split rush orders by vendor" and "merge the rest"
    // split a fulfillment order, merged the parts, split the merged one, and so on, each time on
    // Shopify, until the decision gave up after its rounds.
    const rush = aLine(1, { productTags: ["rush"], vendor: "Pixpa" });
    const acme = aMug(2, { vendor: "Acme" });
    const other = aLine(3, { vendor: "Pixpa" });
    const snapshot = aSnapshot({
      lineItems: [rush, acme, other],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [rush, acme]),
        aFulfillmentOrder(2, STUDIO, [other]),
      ],
    });
    const byVendor = rule(
      "Rush by vendor",
      [{ type: "split", by: "vendor" }],
      [{ field: "product_tag", operator: "in", value: ["rush"] }],
      { position: 2 },
    );
    const mergeNoAcme = rule(
      "No Acme together",
      [{ type: "merge" }],
      [{ field: "vendor", operator: "not_contains", value: "Acme" }],
      { lines: "every", position: 1 },
    );
    const mergeRest = rule("One parcel", [{ type: "merge" }], [], { position: 3 });
    const { done, last } = settle(snapshot, [mergeNoAcme, byVendor, mergeRest]);
    expect(done).toEqual([
      engineSaid("step.split", { count: 1, location: "Studio", lines: [quoted("Mug 11oz")] }),
    ]);
    expect(texts(last)).toContainEqual(
      engineSaid("explain.mergeWouldBeSplit", { location: "Studio", rule: "Rush by vendor" }),
    );
    // Where the merged fulfillment order stays whole, the merge is made.
    const calm = rule(
      "Rush by vendor",
      [{ type: "split", by: "vendor" }],
      [{ field: "product_tag", operator: "in", value: ["never"] }],
      { position: 2 },
    );
    expect(settle(snapshot, [mergeNoAcme, calm, mergeRest]).done).toEqual([
      engineSaid("step.merge", { count: 2, location: "Studio" }),
    ]);
  });
});

describe("move to a location", () => {
  test("moves the fulfillment order, and sends it once it is there", () => {
    const toLab = rule("Lab prints", [
      { type: "move", locationId: LAB.id },
      { type: "submit_fulfilment_request" },
    ]);
    const result = run(onePrintAtStudio(), [toLab]);
    expect(result.steps.map((s) => [s.kind, s.input, s.summary])).toEqual([
      [
        "fulfillmentOrderMove",
        { id: FO1, newLocationId: LAB.id },
        engineSaid("step.move", { from: "Studio", to: "WHCC Lab" }),
      ],
    ]);
    expect(settle(onePrintAtStudio(), [toLab]).done).toEqual([
      engineSaid("step.move", { from: "Studio", to: "WHCC Lab" }),
      engineSaid("step.request", { service: "WHCC Lab" }),
    ]);
  });

  test("the round after the decision's own move says the decision moved it there, not that it was already there", () => {
    const toLab = rule("Lab prints", [
      { type: "move", locationId: LAB.id },
      { type: "submit_fulfilment_request" },
    ]);
    const moved = applyPlan(onePrintAtStudio(), run(onePrintAtStudio(), [toLab]));
    const byThisDecision = { [FO1]: { locationId: STUDIO.id, name: STUDIO.name } };
    const after = run(moved, [toLab], SETTINGS, { movedByThisDecision: byThisDecision });
    expect(after.steps.map((s) => s.summary)).toEqual([
      engineSaid("step.request", { service: "WHCC Lab" }),
    ]);
    expect(texts(after)).toContainEqual(
      engineSaid("explain.movedThereByThisDecision", {
        location: "WHCC Lab",
        from: "Studio",
        rule: "Lab prints",
      }),
    );
    expect(texts(after)).not.toContainEqual(
      engineSaid("explain.alreadyThere", { location: "WHCC Lab", rule: "Lab prints" }),
    );
    // Work that was there before this decision (a later decision, a lab's answer) was already there.
    expect(texts(run(moved, [toLab]))).toContainEqual(
      engineSaid("explain.alreadyThere", { location: "WHCC Lab", rule: "Lab prints" }),
    );
  });

  test("work a repair put at the Studio (its lab stood still) stays there: no move back, nothing sent, whatever the defaults", () => {
    const toLab = rule("Lab prints", [
      { type: "move", locationId: LAB.id },
      { type: "submit_fulfilment_request" },
    ]);
    const repairs = [{ locationId: STUDIO.id, lineItemIds: [aLine(1).id] }];
    const automatic = { ...SETTINGS, defaultMode: "automatic" as const };
    const result = run(onePrintAtStudio(), [toLab], automatic, { repairs });
    expect(result.steps).toEqual([]);
    expect(result.fulfillmentOrders).toMatchObject([{ outcome: "waiting_for_you" }]);
    expect(texts(result)).toContainEqual(
      engineSaid("explain.placedByRepair", { location: "Studio" }),
    );
    // A repair elsewhere, or of other lines, leaves the rules to it.
    for (const other of [
      [{ locationId: WAREHOUSE.id, lineItemIds: [aLine(1).id] }],
      [{ locationId: STUDIO.id, lineItemIds: [aLine(2).id] }],
    ])
      expect(run(onePrintAtStudio(), [toLab], automatic, { repairs: other }).steps).toHaveLength(1);
  });

  test("a location the shop no longer has: needs attention, and the default does not ship it from where it is", () => {
    const gone = rule("Old lab", [{ type: "move", locationId: "gid://shopify/Location/99" }]);
    const result = run(onePrintAtStudio(), [gone], { ...SETTINGS, defaultMode: "automatic" });
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => [r.code, r.message])).toEqual([
      [
        "location_not_found",
        engineSaid("attention.locationGone", { rule: "Old lab", location: "Studio" }),
      ],
    ]);
  });
});

describe("submit the fulfilment request", () => {
  const atLab = (overrides: Parameters<typeof aFulfillmentOrder>[3] = {}) => {
    const print = aLine(1);
    return aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [print], overrides)],
    });
  };
  const send = rule("Send to lab", [
    { type: "submit_fulfilment_request", message: "Rush", notifyCustomer: false },
  ]);

  test("to the fulfilment service the fulfillment order is assigned to", () => {
    expect(run(atLab(), [send]).steps.map((s) => [s.kind, s.input, s.summary])).toEqual([
      [
        "fulfillmentOrderSubmitFulfillmentRequest",
        { id: FO1, message: "Rush", notifyCustomer: false },
        engineSaid("step.request", { service: "WHCC Lab" }),
      ],
    ]);
  });

  test("not again once submitted or accepted", () => {
    for (const state of [
      { requestStatus: "SUBMITTED" },
      { requestStatus: "ACCEPTED", status: "IN_PROGRESS" },
    ] as const) {
      const result = run(atLab(state), [send]);
      expect(result.steps).toEqual([]);
      expect(result.fulfillmentOrders[0]?.outcome).toBe("in_progress");
    }
  });

  test("a rejected request needs the merchant rather than a second try", () => {
    const result = run(atLab({ requestStatus: "REJECTED" }), [send]);
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => r.message)).toEqual([
      engineSaid("attention.requestRejected", { service: "WHCC Lab" }),
    ]);
  });

  describe("a rejected request's fallback after a repair took the work away from a lab", () => {
    // The merchant re-routed the print from WHCC Lab (its request stood still) to Print Partner,
    // which then rejected it; the rule falls back to WHCC Lab.
    const atPartner = () => {
      const print = aLine(1);
      return aSnapshot({
        lineItems: [print],
        fulfillmentOrders: [aFulfillmentOrder(1, PARTNER, [print], { requestStatus: "REJECTED" })],
      });
    };
    const sendOrBackToLab = rule("Send to lab", [
      { type: "submit_fulfilment_request", onRejected: { then: "move", locationId: LAB.id } },
    ]);
    const repairs = [{ locationId: PARTNER.id, lineItemIds: [aLine(1).id], awayFrom: [LAB.id] }];
    const moves = (result: Plan) =>
      result.steps.filter((s) => s.kind === "fulfillmentOrderMove").map((s) => s.input);

    test("without a repair the fallback moves it to the lab the rule names", () => {
      expect(moves(run(atPartner(), [sendOrBackToLab], SETTINGS, {}, []))).toEqual([
        { id: FO1, newLocationId: LAB.id },
      ]);
    });

    test("never back to the lab it was repaired away from: to the first other location whose profile makes it", () => {
      const result = run(atPartner(), [sendOrBackToLab], SETTINGS, { repairs });
      // The Studio's profile makes 10x15 Lustre prints and comes first (in-house first).
      expect(moves(result)).toEqual([{ id: FO1, newLocationId: STUDIO.id }]);
      expect(texts(result)).toContainEqual(
        engineSaid("explain.fallbackNotRepairedAway", { location: "WHCC Lab", to: "Studio" }),
      );
    });

    test("no other capable location, or no profiles to say so: waits for the merchant with the reason", () => {
      const onlyTheLab = [LAB_PROFILE];
      for (const profiles of [[], onlyTheLab]) {
        const result = run(atPartner(), [sendOrBackToLab], SETTINGS, { repairs }, profiles);
        expect(result.steps).toEqual([]);
        expect(result.fulfillmentOrders).toMatchObject([{ outcome: "needs_attention" }]);
        expect(result.needsAttention.map((r) => r.message)).toEqual([
          engineSaid("attention.rejectedFallbackRepairedAway", {
            service: "Print Partner",
            rule: "Send to lab",
            location: "WHCC Lab",
          }),
        ]);
      }
    });
  });

  test("at a location the merchant fulfils there is no request: Settings decide", () => {
    const manual = run(onePrintAtStudio(), [send]);
    expect(manual.steps).toEqual([]);
    expect(texts(manual)).toContainEqual(
      engineSaid("explain.noRequestAtOwnLocation", { rule: "Send to lab", location: "Studio" }),
    );
    expect(
      run(onePrintAtStudio(), [send], { ...SETTINGS, defaultMode: "automatic" }).steps.map(
        (s) => s.kind,
      ),
    ).toEqual(["fulfillmentCreate"]);
  });
});

describe("capture payment", () => {
  const capture = (when: "now" | "on_approval" | "on_fulfilment") =>
    rule("Capture", [{ type: "capture_payment", when }], []);

  test("now: each authorization is captured for what is still capturable", () => {
    const result = run(onePrintAtStudio(authorized()), [capture("now")]);
    expect(result.steps.map((s) => [s.kind, s.fulfillmentOrderId, s.input, s.summary])).toEqual([
      [
        "orderCapture",
        null,
        {
          input: {
            id: "gid://shopify/Order/1001",
            parentTransactionId: "gid://shopify/OrderTransaction/501",
            amount: "49.00",
            currency: "EUR",
          },
        },
        engineSaid("step.capture", { money: moneyWords("49.00", "EUR") }),
      ],
    ]);
    expect(run(applyPlan(onePrintAtStudio(authorized()), result), [capture("now")]).steps).toEqual(
      [],
    );
  });

  test("nothing to capture on a paid order", () => {
    expect(run(onePrintAtStudio(), [capture("now")]).steps).toEqual([]);
  });

  test("Settings decide when no rule does", () => {
    expect(
      run(onePrintAtStudio(authorized()), [], { ...SETTINGS, capturePolicy: "on_paid" }).steps.map(
        (s) => s.kind,
      ),
    ).toEqual(["orderCapture"]);
    const never = run(onePrintAtStudio(authorized()), [], { ...SETTINGS, capturePolicy: "never" });
    expect(never.steps).toEqual([]);
    expect(texts(never)).toContainEqual(engineSaid("explain.captureYourself"));
  });

  test("on approval: once nothing is held and the fulfilment service has accepted", () => {
    const print = aLine(1);
    const atLab = aSnapshot({
      order: authorized(),
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, LAB, [print])],
    });
    const rules = [
      rule("Lab", [
        { type: "submit_fulfilment_request" },
        { type: "capture_payment", when: "on_approval" },
      ]),
    ];
    const submitted = settle(atLab, rules);
    expect(submitted.done).toEqual([engineSaid("step.request", { service: "WHCC Lab" })]);
    expect(texts(submitted.last)).toContainEqual(engineSaid("explain.captureOnApproval"));
    const accepted = run(acceptRequest(submitted.snapshot, FO1), rules);
    expect(summaries(accepted)).toEqual([
      engineSaid("step.capture", { money: moneyWords("49.00", "EUR") }),
    ]);
    expect(accepted.steps[0]?.why.text).toEqual(
      ruleSaid("Lab", actionWords({ type: "capture_payment", when: "on_approval" })),
    );
  });

  test("on approval: a fulfillment order the merchant ships counts as approved once nothing holds it", () => {
    expect(summaries(run(onePrintAtStudio(authorized()), [capture("on_approval")]))).toEqual([
      engineSaid("step.capture", { money: moneyWords("49.00", "EUR") }),
    ]);
    const held = [
      rule("Review", [
        { type: "hold_for_review" },
        { type: "capture_payment", when: "on_approval" },
      ]),
    ];
    expect(summaries(run(onePrintAtStudio(authorized()), held))).toEqual([
      engineSaid("step.holdForReview", { location: "Studio" }),
    ]);
  });

  test("on fulfilment: once every fulfillment order is closed", () => {
    const snapshot = onePrintAtStudio(authorized());
    expect(run(snapshot, [capture("on_fulfilment")]).steps).toEqual([]);
    expect(
      summaries(run(closeFulfillmentOrder(snapshot, FO1), [capture("on_fulfilment")])),
    ).toEqual([engineSaid("step.capture", { money: moneyWords("49.00", "EUR") })]);
  });

  test("an expired authorization cannot be captured and needs attention", () => {
    const expired = authorized({
      capturableTransactions: [
        {
          id: "gid://shopify/OrderTransaction/501",
          amount: { amount: "49.00", currencyCode: "EUR" },
          authorizationExpiresAt: "2025-03-01T12:01:00.000Z",
        },
      ],
    });
    const result = run(onePrintAtStudio(expired), [capture("now")]);
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => [r.code, r.message])).toEqual([
      [
        "authorization_expired",
        engineSaid("attention.authorizationExpired", {
          money: moneyWords("49.00", "EUR"),
          at: "2025-03-01T12:01:00.000Z",
        }),
      ],
    ]);
  });

  test("an authorization that lapsed unseen (Shopify shows the payment Expired, nothing to capture) needs attention while a capture is wanted, never a capture", () => {
    const lapsed = authorized({
      displayFinancialStatus: "EXPIRED",
      capturable: false,
      capturableTransactions: [],
    });
    for (const when of ["now", "on_approval", "on_fulfilment"] as const) {
      const result = run(onePrintAtStudio(lapsed), [capture(when)]);
      expect(result.steps.filter((s) => s.kind === "orderCapture")).toEqual([]);
      expect(result.needsAttention.map((r) => [r.code, r.fulfillmentOrderId])).toEqual([
        ["authorization_expired", null],
      ]);
      expect(result.needsAttention[0]!.message).toEqual(words("settled.authorizationLapsed"));
    }
    // The merchant captures by hand (Settings: never): not the app's concern.
    const manual = run(onePrintAtStudio(lapsed), [], { ...SETTINGS, capturePolicy: "never" });
    expect(manual.needsAttention).toEqual([]);
    // Cancelled: nothing is owed any more.
    const cancelled = run(
      onePrintAtStudio({ ...lapsed, cancelledAt: "2025-03-09T12:00:00.000Z" }),
      [capture("now")],
    );
    expect(cancelled.needsAttention.filter((r) => r.code === "authorization_expired")).toEqual([]);
  });

  test("the highest-priority rule that says when wins over Settings and over later rules", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const snapshot = aSnapshot({
      order: authorized(),
      lineItems: [print, mug],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, STUDIO, [mug]),
      ],
    });
    const early = rule(
      "Mugs now",
      [{ type: "capture_payment", when: "now" }],
      [{ field: "product_type", operator: "equals", value: "Mug" }],
      { position: 0 },
    );
    const late = rule(
      "Prints on fulfilment",
      [{ type: "capture_payment", when: "on_fulfilment" }],
      [isPrint],
      { position: 1 },
    );
    expect(
      summaries(run(snapshot, [late, early], { ...SETTINGS, capturePolicy: "never" })),
    ).toEqual([engineSaid("step.capture", { money: moneyWords("49.00", "EUR") })]);
    expect(
      run(snapshot, [
        { ...late, position: 0 },
        { ...early, position: 1 },
      ]).steps,
    ).toEqual([]);
  });
});

describe("order tags and staff note", () => {
  test("only missing tags are added, once, whatever their case", () => {
    const a = rule("Lab", [{ type: "add_order_tags", tags: ["lab", "VIP"] }], [], {
      keepChecking: true,
      position: 0,
    });
    const b = rule("Again", [{ type: "add_order_tags", tags: ["Lab", "prints"] }], [], {
      position: 1,
    });
    const result = run(onePrintAtStudio(anOrder({ tags: ["vip"] })), [a, b]);
    expect(result.steps.map((s) => [s.kind, s.input, s.summary])).toEqual([
      [
        "tagsAdd",
        { id: "gid://shopify/Order/1001", tags: ["lab", "prints"] },
        engineSaid("step.addTags", { tags: [quoted("lab"), quoted("prints")] }),
      ],
    ]);
    expect(
      run(onePrintAtStudio(anOrder({ tags: ["VIP", "LAB", "prints"] })), [a, b]).steps,
    ).toEqual([]);
  });

  test("each step carries why its rule matched, with the values", () => {
    const tag = rule(
      "Tag VIP prints",
      [{ type: "add_order_tags", tags: ["vip-print"] }],
      [isPrint, { field: "order_tag", operator: "contains", value: "vip" }],
    );
    const [step] = run(onePrintAtStudio(anOrder({ tags: ["vip"] })), [tag]).steps;
    expect(step?.why.matched).toEqual(
      engineSaid("match.matched", {
        rule: "Tag VIP prints",
        because: engineSaid("match.and", {
          left: conditionWords({ field: "order_tag", operator: "contains", value: "vip" }),
          right: printLineMatched,
        }),
      }),
    );
  });

  test("a staff note line is appended to what is there, and never twice", () => {
    const note = rule("Crop", [{ type: "add_staff_note", note: "Check the crop" }]);
    const result = run(onePrintAtStudio(anOrder({ note: "Gift wrap please" })), [note]);
    expect(result.steps.map((s) => s.input)).toEqual([
      { input: { id: "gid://shopify/Order/1001", note: "Gift wrap please\nCheck the crop" } },
    ]);
    expect(
      run(applyPlan(onePrintAtStudio(anOrder({ note: "Gift wrap please" })), result), [note]).steps,
    ).toEqual([]);
  });

  test("a tag can make a later rule match: the plan says to plan again", () => {
    const tagger = rule("Tag prints", [{ type: "add_order_tags", tags: ["lab"] }], [isPrint], {
      position: 0,
    });
    const held = rule(
      "Tagged",
      [{ type: "hold_for_review" }],
      [{ field: "order_tag", operator: "contains", value: "lab" }],
      { position: -1 },
    );
    const first = run(onePrintAtStudio(), [tagger, held]);
    expect(first.steps.map((s) => s.kind)).toEqual(["tagsAdd"]);
    expect(first.replanAfterApply).toBe(true);
    expect(settle(onePrintAtStudio(), [tagger, held]).done).toEqual([
      engineSaid("step.addTags", { tags: [quoted("lab")] }),
      engineSaid("step.holdForReview", { location: "Studio" }),
    ]);
  });
});

describe("archive the order", () => {
  const archive = (when: "fulfilled" | "delivered") =>
    rule("Archive", [{ type: "archive_order", when }], []);

  test("only once every fulfillment order is done", () => {
    const open = run(onePrintAtStudio(), [archive("fulfilled")]);
    expect(open.steps).toEqual([]);
    expect(texts(open)).toContainEqual(
      engineSaid("explain.archiveOnce.fulfilled", { rule: "Archive" }),
    );
    const closed = run(closeFulfillmentOrder(onePrintAtStudio(), FO1), [archive("fulfilled")]);
    expect(closed.steps.map((s) => [s.kind, s.input])).toEqual([
      ["orderClose", { input: { id: "gid://shopify/Order/1001" } }],
    ]);
    expect(
      run(applyPlan(closeFulfillmentOrder(onePrintAtStudio(), FO1), closed), [archive("fulfilled")])
        .steps,
    ).toEqual([]);
  });

  test("'when delivered' waits for every fulfillment to be delivered", () => {
    expect(
      run(closeFulfillmentOrder(onePrintAtStudio(), FO1, "IN_TRANSIT"), [archive("delivered")])
        .steps,
    ).toEqual([]);
    expect(
      run(closeFulfillmentOrder(onePrintAtStudio(), FO1, "DELIVERED"), [
        archive("delivered"),
      ]).steps.map((s) => s.kind),
    ).toEqual(["orderClose"]);
  });

  test("capture on fulfilment comes before archiving", () => {
    const rules = [
      rule(
        "Done",
        [
          { type: "archive_order", when: "fulfilled" },
          { type: "capture_payment", when: "on_fulfilment" },
        ],
        [],
      ),
    ];
    const result = run(closeFulfillmentOrder(onePrintAtStudio(authorized()), FO1), rules);
    expect(result.steps.map((s) => s.kind)).toEqual(["orderCapture", "orderClose"]);
  });
});

describe("Settings decide what no rule does", () => {
  test("manual: nothing happens; the fulfillment order waits for the merchant", () => {
    const result = run(onePrintAtStudio(), []);
    expect(result.steps).toEqual([]);
    expect(texts(result)).toEqual([engineSaid("explain.manualBySettings")]);
    expect(result.fulfillmentOrders[0]).toMatchObject({
      usedDefault: true,
      outcome: "waiting_for_you",
    });
  });

  test("automatic: it is fulfilled, and the step says Settings did it", () => {
    const result = run(onePrintAtStudio(), [], {
      ...SETTINGS,
      defaultMode: "automatic",
      notifyCustomer: false,
    });
    expect(result.steps.map((s) => [s.kind, s.why])).toEqual([
      [
        "fulfillmentCreate",
        {
          source: "settings",
          ruleId: null,
          ruleName: null,
          text: engineSaid("why.settings", {
            what: engineSaid("why.noRuleDecides", {
              what: actionWords({ type: "fulfil_automatically" }),
            }),
          }),
          matched: null,
        },
      ],
    ]);
  });

  test("a rule that only tags leaves sending to Settings", () => {
    const tagOnly = rule("Tag prints", [{ type: "add_order_tags", tags: ["print"] }]);
    const result = run(onePrintAtStudio(), [tagOnly], { ...SETTINGS, defaultMode: "automatic" });
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentCreate", "tagsAdd"]);
  });

  test("digital downloads go out by themselves even when fulfilment is manual", () => {
    const download = aDownload(1);
    const snapshot = aSnapshot({
      lineItems: [download],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [download])],
    });
    expect(summaries(run(snapshot, []))).toEqual([
      engineSaid("step.fulfill", {
        count: 1,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
  });

  test("digital downloads that need review are held until approved, then go out", () => {
    const download = aDownload(1);
    const snapshot = aSnapshot({
      lineItems: [download],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [download])],
    });
    const settings = { ...SETTINGS, digitalDownloads: "review" as const };
    const first = run(snapshot, [], settings);
    expect(first.steps.map((s) => [s.kind, s.why.text])).toEqual([
      [
        "fulfillmentOrderHold",
        engineSaid("why.settings", { what: engineSaid("why.downloadsReview") }),
      ],
    ]);
    expect(
      first.steps[0]?.kind === "fulfillmentOrderHold" &&
        first.steps[0].input.fulfillmentHold.handle,
    ).toBe(DEFAULT_REVIEW_HOLD_HANDLE);
    const held = applyPlan(snapshot, first);
    expect(run(held, [], settings).steps).toEqual([]);
    expect(settle(held, [], settings, { approvals: [FO1] }).done).toEqual([
      engineSaid("step.release", { count: 1, location: "Studio" }),
      engineSaid("step.fulfill", {
        count: 1,
        location: "Studio",
        notify: engineSaid("step.notified"),
      }),
    ]);
  });
});

describe("digital downloads reviewed by a rule", () => {
  test("get one review hold, not a second one from Settings", () => {
    const download = aDownload(1);
    const snapshot = aSnapshot({
      lineItems: [download],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [download])],
    });
    const review = rule(
      "Review downloads",
      [{ type: "hold_for_review" }],
      [{ field: "requires_shipping", operator: "equals", value: false }],
    );
    const result = run(snapshot, [review], { ...SETTINGS, digitalDownloads: "review" });
    expect(result.steps.map((s) => s.summary)).toEqual([
      engineSaid("step.holdForReview", { location: "Studio" }),
    ]);
    expect(result.steps[0]?.why.ruleId).toBe(review.id);
  });
});

describe("how matching rules combine", () => {
  test("the first matching rule in the merchant's order decides", () => {
    const hold = rule("Review", [{ type: "hold_for_review" }], [isPrint], { position: 1 });
    const ship = rule("Ship", [{ type: "fulfil_automatically" }], [isPrint], { position: 2 });
    const result = run(onePrintAtStudio(), [ship, hold]);
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderHold"]);
    expect(result.fulfillmentOrders[0]?.matchedRuleIds).toEqual([hold.id]);
  });

  test("rules at the same position run in id order, not in the order they were passed", () => {
    const a = rule("A", [{ type: "hold_for_review" }], [isPrint], { id: "a", position: 1 });
    const b = rule("B", [{ type: "fulfil_automatically" }], [isPrint], { id: "b", position: 1 });
    expect(run(onePrintAtStudio(), [b, a])).toEqual(run(onePrintAtStudio(), [a, b]));
    expect(run(onePrintAtStudio(), [b, a]).fulfillmentOrders[0]?.matchedRuleIds).toEqual(["a"]);
  });

  test("'keep checking' lets later rules add what it leaves open", () => {
    const tag = rule("Tag", [{ type: "add_order_tags", tags: ["print"] }], [isPrint], {
      keepChecking: true,
      position: 0,
    });
    const ship = rule("Ship", [{ type: "fulfil_automatically" }], [isPrint], { position: 1 });
    const result = run(onePrintAtStudio(), [tag, ship]);
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentCreate", "tagsAdd"]);
    expect(result.fulfillmentOrders[0]?.matchedRuleIds).toEqual([tag.id, ship.id]);
  });

  test("what an earlier rule decided is not overridden; the later wish is explained as ignored", () => {
    const ship = rule(
      "Ship",
      [{ type: "fulfil_automatically" }, { type: "move", locationId: WAREHOUSE.id }],
      [isPrint],
      { keepChecking: true, position: 0 },
    );
    const send = rule(
      "Send",
      [{ type: "submit_fulfilment_request" }, { type: "move", locationId: LAB.id }],
      [isPrint],
      { position: 1 },
    );
    const result = run(onePrintAtStudio(), [ship, send]);
    expect(texts(result)).toEqual(
      expect.arrayContaining([
        ignoredSaid("Send", { type: "submit_fulfilment_request" }, "how", "Ship"),
        ignoredSaid("Send", { type: "move", locationId: LAB.id }, "where", "Ship", LAB.name),
      ]),
    );
    expect(summaries(result)).toEqual([
      engineSaid("step.move", { from: "Studio", to: "Warehouse" }),
    ]);
  });

  test("a hold from any matching rule wins over fulfilment until it is released", () => {
    const ship = rule("Ship", [{ type: "fulfil_automatically" }], [isPrint], {
      keepChecking: true,
      position: 0,
    });
    const review = rule("Review", [{ type: "hold_for_review" }], [isPrint], { position: 1 });
    expect(run(onePrintAtStudio(), [ship, review]).steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderHold",
    ]);
    expect(
      run(onePrintAtStudio(), [ship, review], SETTINGS, { approvals: [FO1] }).steps.map(
        (s) => s.kind,
      ),
    ).toEqual(["fulfillmentCreate"]);
  });

  test("each fulfillment order gets its own decision", () => {
    const print = aLine(1);
    const download = aDownload(2);
    const snapshot = aSnapshot({
      lineItems: [print, download],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        aFulfillmentOrder(2, STUDIO, [download]),
      ],
    });
    const review = rule("Review prints", [{ type: "hold_for_review" }], [isPrint]);
    const result = run(snapshot, [review]);
    expect(result.steps.map((s) => [s.kind, s.fulfillmentOrderId])).toEqual([
      ["fulfillmentOrderHold", FO1],
      ["fulfillmentCreate", FO2],
    ]);
  });
});

describe("Shopify's state decides what can be planned", () => {
  const anything = [
    rule("Everything", [{ type: "hold_for_review" }, { type: "add_order_tags", tags: ["x"] }], []),
  ];

  test("a cancelled or archived order gets nothing", () => {
    const cancelled = run(
      onePrintAtStudio(anOrder({ cancelledAt: "2025-03-01T12:01:00Z" })),
      anything,
    );
    expect(cancelled.steps).toEqual([]);
    expect(texts(cancelled)).toEqual([engineSaid("explain.orderCanceled")]);
    expect(run(onePrintAtStudio(anOrder({ closed: true })), anything).steps).toEqual([]);
  });

  test("a scheduled fulfillment order is decided when Shopify opens it", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print], { status: "SCHEDULED" })],
    });
    const result = run(snapshot, anything);
    expect(result.steps.map((s) => s.kind)).toEqual(["tagsAdd"]);
    expect(texts(result)).toContainEqual(engineSaid("explain.scheduled", { location: "Studio" }));
  });

  test("someone else's hold stops fulfilment, and the plan says why", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print], { status: "ON_HOLD", holds: [heldBySomeoneElse] }),
      ],
    });
    const result = run(snapshot, [rule("Ship", [{ type: "fulfil_automatically" }])]);
    expect(result.steps).toEqual([]);
    expect(result.fulfillmentOrders[0]?.outcome).toBe("held");
  });

  test("no fulfillment orders yet", () => {
    const result = run(aSnapshot({ lineItems: [aLine(1)], fulfillmentOrders: [] }), anything);
    expect(result.steps).toEqual([]);
    expect(texts(result)).toEqual([engineSaid("explain.noFulfillmentOrders")]);
  });

  test("a fulfillment order line whose line item the read missed is not fulfilled blind", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print])],
    });
    const result = run(snapshot, [], { ...SETTINGS, defaultMode: "automatic" });
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((r) => r.code)).toEqual(["incomplete_snapshot"]);
  });

  test("a partly read fulfillment order is held if asked, but never fulfilled", () => {
    const print = aLine(1);
    const ghost = aLine(2);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print, ghost])],
    });
    const result = run(snapshot, [rule("Ship", [{ type: "fulfil_automatically" }])]);
    expect(result.steps).toEqual([]);
    expect(result.fulfillmentOrders[0]?.outcome).toBe("needs_attention");
  });

  test("Shopify keeps at most 10 of an app's holds on a fulfillment order", () => {
    const rules = Array.from({ length: 11 }, (_, i) =>
      rule(`Hold ${i}`, [{ type: "hold", reason: "OTHER" }], [], {
        id: `h${String(i).padStart(2, "0")}`,
        position: i,
        keepChecking: true,
      }),
    );
    const result = run(onePrintAtStudio(), rules);
    expect(result.steps).toHaveLength(10);
    expect(result.needsAttention.map((r) => r.code)).toEqual(["too_many_holds"]);
  });
});

describe("the order of steps", () => {
  test("restructure first, then hold, release, send; then tags, note, capture, archive", () => {
    const print = aLine(1);
    const mug = aMug(2);
    const download = aDownload(3);
    const heldMug = aFulfillmentOrder(2, STUDIO, [mug], {
      status: "ON_HOLD",
      holds: [heldBySomeoneElse],
    });
    const snapshot = aSnapshot({
      order: authorized(),
      lineItems: [print, mug, download],
      fulfillmentOrders: [
        aFulfillmentOrder(1, STUDIO, [print]),
        heldMug,
        aFulfillmentOrder(3, WAREHOUSE, [download]),
        aFulfillmentOrder(4, STUDIO, [aMug(4)]),
      ],
    });
    snapshot.lineItems.push(aMug(4));
    const rules = [
      rule(
        "Prints",
        [
          { type: "hold_for_review" },
          { type: "add_order_tags", tags: ["print"] },
          { type: "add_staff_note", note: "Crop" },
          { type: "capture_payment", when: "now" },
        ],
        [isPrint],
        { position: 0 },
      ),
      rule(
        "Mugs",
        [{ type: "release_holds", placedBy: "anyone" }],
        [{ field: "product_type", operator: "equals", value: "Mug" }],
        { position: 1 },
      ),
    ];
    const result = run(snapshot, rules);
    expect(result.steps.map((s) => [s.kind, s.fulfillmentOrderId])).toEqual([
      ["fulfillmentOrderHold", FO1],
      ["fulfillmentOrderReleaseHold", FO2],
      ["fulfillmentCreate", "gid://shopify/FulfillmentOrder/3"],
      ["tagsAdd", null],
      ["orderUpdate", null],
      ["orderCapture", null],
    ]);
  });
});

describe("from paid to captured: lab prints after a look at the crop", () => {
  test("move to the lab, hold for review, approve, send, lab accepts, capture", () => {
    const rules = [
      rule("Lab prints", [
        { type: "move", locationId: LAB.id },
        { type: "hold_for_review", note: "check the crop" },
        { type: "submit_fulfilment_request", message: "Please print" },
        { type: "capture_payment", when: "on_approval" },
        { type: "add_order_tags", tags: ["lab"] },
      ]),
    ];
    const paid = onePrintAtStudio(authorized());
    const routed = settle(paid, rules);
    expect(routed.done).toEqual([
      engineSaid("step.move", { from: "Studio", to: "WHCC Lab" }),
      engineSaid("step.addTags", { tags: [quoted("lab")] }),
      engineSaid("step.holdForReview", { location: "WHCC Lab" }),
    ]);
    expect(routed.last.fulfillmentOrders[0]?.outcome).toBe("held");

    const approved = settle(routed.snapshot, rules, SETTINGS, { approvals: [FO1] });
    expect(approved.done).toEqual([
      engineSaid("step.release", { count: 1, location: "WHCC Lab" }),
      engineSaid("step.request", { service: "WHCC Lab" }),
    ]);

    const captured = settle(acceptRequest(approved.snapshot, FO1), rules, SETTINGS, {
      approvals: [FO1],
    });
    expect(captured.done).toEqual([
      engineSaid("step.capture", { money: moneyWords("49.00", "EUR") }),
    ]);
    expect(captured.snapshot.order.displayFinancialStatus).toBe("PAID");
  });
});

// Speed is measured by `npm run bench` (tests/bench/engine.bench.ts: engine_plans_per_s), never
// asserted in a test.
