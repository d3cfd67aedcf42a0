// Extra charges in the engine: the draft and its links, the rule condition "extra charge", and "capture before it lapses".
import { describe, expect, it } from "vitest";
import {
  EXTRA_CHARGE_ATTRIBUTE,
  EXTRA_CHARGE_OPEN_TAG,
  EXTRA_CHARGE_PAID_TAG,
  extraChargeAmountIn,
  paidExtraChargeSteps,
  planExtraCharge,
  type ExtraChargeSource,
} from "./extra-charge";
import { plan } from "./plan";
import { parseRule } from "./schema";
import {
  aRule,
  authorized,
  anOrder,
  onePrintAtStudio,
  NOW,
  SETTINGS,
  ORDER_ID,
} from "./testing.fixtures";

const why = { source: "approval" as const, ruleId: null, ruleName: null, text: "test" };

const source: ExtraChargeSource = {
  id: ORDER_ID,
  name: "#1001",
  email: "ann@example.com",
  currencyCode: "EUR",
  presentmentCurrencyCode: "EUR",
  note: null,
  cancelled: false,
  lineItems: [
    { id: "gid://shopify/LineItem/1", title: "Fine Art Print", variantTitle: "A3", quantity: 2 },
  ],
};

describe("planExtraCharge", () => {
  it("makes a draft with one custom item at the amount, tagged and noted with the original, naming the charge", () => {
    const p = planExtraCharge(
      source,
      {
        amount: "12.50",
        reason: "Size change to A2",
        lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }],
      },
      "charge-1",
      why,
    );
    expect(p.kind).toBe("charge");
    if (p.kind !== "charge") return;
    expect(p.step.input.input).toMatchObject({
      email: "ann@example.com",
      tags: ["extra-charge"],
      note: "Extra charge for #1001: Size change to A2",
      customAttributes: [
        { key: EXTRA_CHARGE_ATTRIBUTE, value: "charge-1" },
        { key: "_extra_charge_for", value: "#1001" },
      ],
      lineItems: [
        {
          title: "Extra charge for #1001: Size change to A2 (1 × Fine Art Print – A3)",
          quantity: 1,
          originalUnitPriceWithCurrency: { amount: "12.50", currencyCode: "EUR" },
          requiresShipping: false,
        },
      ],
    });
  });

  it("refuses a cancelled order, an order without an e-mail, an unknown line and more than was ordered", () => {
    const ask = (s: ExtraChargeSource, lines = [] as { lineItemId: string; quantity: number }[]) =>
      planExtraCharge(s, { amount: "5.00", reason: "Shipping", lines }, "c", why);
    expect(ask({ ...source, cancelled: true })).toEqual({
      kind: "refused",
      refusal: { code: "cancelled" },
    });
    expect(ask({ ...source, email: null })).toEqual({
      kind: "refused",
      refusal: { code: "noEmail" },
    });
    expect(ask(source, [{ lineItemId: "gid://shopify/LineItem/9", quantity: 1 }])).toMatchObject({
      refusal: { code: "unknownLine" },
    });
    expect(ask(source, [{ lineItemId: "gid://shopify/LineItem/1", quantity: 3 }])).toMatchObject({
      refusal: { code: "tooMany", ordered: 2 },
    });
  });

  it("takes the waiting tag off once paid only when no other charge of the order still waits", () => {
    expect(paidExtraChargeSteps(ORDER_ID, false, why).map((s) => s.kind)).toEqual([
      "tagsAdd",
      "tagsRemove",
    ]);
    expect(paidExtraChargeSteps(ORDER_ID, true, why).map((s) => s.kind)).toEqual(["tagsAdd"]);
  });
});

describe("an extra charge's amount in its currency's own decimals (ADR 087)", () => {
  it("keeps fils and whole yen as asked, and writes cents as two decimals", () => {
    expect(extraChargeAmountIn("12.505", "KWD")).toEqual({ ok: true, amount: "12.505" });
    expect(extraChargeAmountIn("7.5", "BHD")).toEqual({ ok: true, amount: "7.500" });
    expect(extraChargeAmountIn("1500", "JPY")).toEqual({ ok: true, amount: "1500" });
    expect(extraChargeAmountIn("1500.00", "JPY")).toEqual({ ok: true, amount: "1500" });
    expect(extraChargeAmountIn("12.5", "EUR")).toEqual({ ok: true, amount: "12.50" });
  });

  it("refuses more decimals than the currency has rather than rounding them away", () => {
    expect(extraChargeAmountIn("12.5055", "KWD")).toEqual({
      ok: false,
      refusal: { code: "amountDecimals", currency: "KWD", decimals: 3 },
    });
    expect(extraChargeAmountIn("1500.5", "JPY")).toEqual({
      ok: false,
      refusal: { code: "amountDecimals", currency: "JPY", decimals: 0 },
    });
    expect(extraChargeAmountIn("12.505", "EUR")).toMatchObject({
      refusal: { code: "amountDecimals", decimals: 2 },
    });
  });
});

describe('rule condition "extra charge"', () => {
  const holdWhileWaiting = aRule({
    name: "Wait for the extra charge",
    conditions: [{ field: "extra_charge", operator: "equals", value: "awaiting_payment" }],
    actions: [{ type: "hold", reason: "AWAITING_PAYMENT", note: "Extra charge not paid yet" }],
  });
  const fulfilWhenPaid = aRule({
    name: "Extra charge paid",
    conditions: [{ field: "extra_charge", operator: "equals", value: "paid" }],
    actions: [{ type: "fulfil_automatically" }],
  });
  const planFor = (tags: string[]) =>
    plan(onePrintAtStudio(anOrder({ tags })), [holdWhileWaiting, fulfilWhenPaid], SETTINGS, [], {
      now: NOW,
    });

  it("holds while a charge waits for payment and fulfils once it is paid (the order's tags say which)", () => {
    expect(planFor([EXTRA_CHARGE_OPEN_TAG]).steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderHold",
    ]);
    expect(planFor([EXTRA_CHARGE_PAID_TAG]).steps.map((s) => s.kind)).toEqual([
      "fulfillmentCreate",
    ]);
    // A second charge waits again even though the first was paid.
    expect(
      planFor([EXTRA_CHARGE_PAID_TAG, EXTRA_CHARGE_OPEN_TAG]).steps.map((s) => s.kind),
    ).toEqual(["fulfillmentOrderHold"]);
    // No charge: neither rule matches; Settings (manual) leave it for the merchant.
    expect(planFor([]).steps).toEqual([]);
  });

  it("is saved from the rule editor's JSON and refuses a state it does not know", () => {
    const base = { id: "r1", name: "x", enabled: true, position: 1, match: "all", lines: "any" };
    const ok = parseRule({
      ...base,
      conditions: [{ field: "extra_charge", operator: "equals", value: "paid" }],
      actions: [{ type: "fulfil_automatically" }],
    });
    expect(ok.ok).toBe(true);
    const bad = parseRule({
      ...base,
      conditions: [{ field: "extra_charge", operator: "equals", value: "maybe" }],
      actions: [{ type: "fulfil_automatically" }],
    });
    expect(bad.ok).toBe(false);
  });
});

describe('capture "before it lapses"', () => {
  const rule = aRule({
    name: "Capture before it lapses",
    actions: [{ type: "capture_payment", when: "before_lapse" }],
  });
  // The fixture's authorization lapses 2025-03-08T12:00Z; NOW is 2025-03-01T12:05Z.
  const planAt = (now: string, warnHours?: number) =>
    plan(
      onePrintAtStudio(authorized()),
      [rule],
      { ...SETTINGS, authorizationWarnHours: warnHours },
      [],
      { now },
    );

  it("waits until the warning window opens and asks to be planned again then", () => {
    const p = planAt(NOW, 48);
    expect(p.steps.filter((s) => s.kind === "orderCapture")).toEqual([]);
    expect(p.replanAt).toBe("2025-03-06T12:00:00.000Z");
  });

  it("captures inside the window: N hours before the authorization lapses (Settings)", () => {
    const p = planAt("2025-03-06T12:00:00.000Z", 48);
    expect(p.steps.filter((s) => s.kind === "orderCapture")).toHaveLength(1);
    expect(planAt("2025-03-06T12:00:00.000Z", 24).steps.map((s) => s.kind)).not.toContain(
      "orderCapture",
    );
  });

  it("counts the gateway's period from the authorization's date when Shopify gives no expiry", () => {
    const order = authorized({
      capturableTransactions: [
        {
          id: "gid://shopify/OrderTransaction/501",
          amount: { amount: "49.00", currencyCode: "EUR" },
          authorizationExpiresAt: null,
          authorizedAt: "2025-03-01T12:00:00.000Z",
          gateway: "shopify_payments",
        },
      ],
    });
    const p = plan(onePrintAtStudio(order), [rule], SETTINGS, [], {
      now: "2025-03-06T13:00:00.000Z",
    });
    expect(p.steps.map((s) => s.kind)).toContain("orderCapture");
  });
});
