// Planning the cancel of some lines: restock per location, money split over the payments taken,
// holds kept on what remains, and the refusals that come before any change.
import { describe, expect, it } from "vitest";
import { planCancelLines, type CancelLinesRequest, type RefundFacts } from "./cancel-lines";
import {
  aFulfillmentOrder,
  aLine,
  anOrder,
  aSnapshot,
  LAB,
  STUDIO,
  WAREHOUSE,
} from "./testing.fixtures";

const why = { source: "approval" as const, ruleId: null, ruleName: null, text: "By Lena" };

const request = (overrides: Partial<CancelLinesRequest> = {}): CancelLinesRequest => ({
  lines: [{ lineItemId: aLine(1).id, quantity: 3 }],
  reason: "CUSTOMER",
  refund: "original",
  amount: null,
  restock: true,
  notifyCustomer: false,
  staffNote: null,
  ...overrides,
});

const facts = (
  payments: RefundFacts["payments"],
  suggested: RefundFacts["suggested"] = null,
): RefundFacts => ({ currencyCode: "EUR", payments, suggested });

const TX1 = "gid://shopify/OrderTransaction/1";
const TX2 = "gid://shopify/OrderTransaction/2";
const twoPayments = [
  { id: TX1, gateway: "bogus", refundable: 2500 },
  { id: TX2, gateway: "manual", refundable: 2500 },
];

/** Four prints of one line, two shipping from the Studio and two from the Warehouse. */
function splitOrder(holds = false) {
  const print = aLine(1, { quantity: 4, unfulfilledQuantity: 4 });
  return aSnapshot({
    lineItems: [print],
    fulfillmentOrders: [
      aFulfillmentOrder(1, STUDIO, [[print, { remainingQuantity: 2, totalQuantity: 2 }]], {
        status: holds ? "ON_HOLD" : "OPEN",
        holds: holds
          ? [
              {
                id: "gid://shopify/FulfillmentHold/1",
                reason: "OTHER",
                reasonNotes: null,
                handle: "fr-default-review",
                heldByRequestingApp: true,
              },
            ]
          : [],
      }),
      aFulfillmentOrder(2, WAREHOUSE, [[print, { remainingQuantity: 2, totalQuantity: 2 }]]),
    ],
  });
}

describe("planCancelLines", () => {
  it("restocks each item where it was to ship from and refunds in full what Shopify suggests for them, tax included, through the payments it suggests", () => {
    // Three 10.00 prints with 19 % tax: 35.70, of which the first payment had 25.00.
    const plan = planCancelLines(
      splitOrder(),
      facts(twoPayments, {
        amount: 3570,
        subtotal: 3000,
        tax: 570,
        transactions: [
          { parentId: TX1, gateway: "bogus", amount: 2500 },
          { parentId: TX2, gateway: "manual", amount: 1070 },
        ],
      }),
      request(),
      why,
    );
    expect(plan.kind).toBe("cancel");
    if (plan.kind !== "cancel") return;
    expect(plan.refunded).toBe(3570);
    const refund = plan.steps.at(-1)!;
    expect(refund.kind).toBe("refundCreate");
    expect(refund.input).toMatchObject({
      input: {
        refundLineItems: [
          { lineItemId: aLine(1).id, quantity: 2, restockType: "CANCEL", locationId: STUDIO.id },
          { lineItemId: aLine(1).id, quantity: 1, restockType: "CANCEL", locationId: WAREHOUSE.id },
        ],
        transactions: [
          { parentId: TX1, gateway: "bogus", amount: "25.00" },
          { parentId: TX2, gateway: "manual", amount: "10.70" },
        ],
        refundMethods: [],
      },
    });
  });

  it("gives back, and says, what the payments Shopify suggests can take when they cover less", () => {
    const plan = planCancelLines(
      splitOrder(),
      facts(twoPayments, {
        amount: 3570,
        subtotal: 3000,
        tax: 570,
        transactions: [{ parentId: TX1, gateway: "bogus", amount: 2500 }],
      }),
      request(),
      why,
    );
    expect(plan.kind === "cancel" && plan.refunded).toBe(2500);
    expect(plan.kind === "cancel" && plan.steps.at(-1)!.input).toMatchObject({
      input: { transactions: [{ parentId: TX1, amount: "25.00" }] },
    });
  });

  it("splits a set amount over the payments taken, oldest first", () => {
    const plan = planCancelLines(
      splitOrder(),
      facts(twoPayments),
      request({ amount: "30.00" }),
      why,
    );
    expect(plan.kind === "cancel" && plan.steps.at(-1)!.input).toMatchObject({
      input: {
        transactions: [
          { parentId: TX1, gateway: "bogus", amount: "25.00" },
          { parentId: TX2, gateway: "manual", amount: "5.00" },
        ],
      },
    });
  });

  it("gives Shopify's full amount, tax included, as store credit", () => {
    const plan = planCancelLines(
      splitOrder(),
      facts(twoPayments, { amount: 3570, subtotal: 3000, tax: 570, transactions: [] }),
      request({ refund: "store_credit" }),
      why,
    );
    expect(plan.kind === "cancel" && plan.steps.at(-1)!.input).toMatchObject({
      input: {
        transactions: [],
        refundMethods: [
          { storeCreditRefund: { amount: { amount: "35.70", currencyCode: "EUR" } } },
        ],
      },
    });
  });

  it("releases the app's hold only on the fulfillment order the cancel empties", () => {
    const emptied = planCancelLines(
      splitOrder(true),
      facts([]),
      request({ refund: "none", lines: [{ lineItemId: aLine(1).id, quantity: 2 }] }),
      why,
    );
    expect(emptied.kind === "cancel" && emptied.steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderReleaseHold",
      "refundCreate",
    ]);
    const kept = planCancelLines(
      splitOrder(true),
      facts([]),
      request({ refund: "none", lines: [{ lineItemId: aLine(1).id, quantity: 1 }] }),
      why,
    );
    expect(kept.kind === "cancel" && kept.steps.map((s) => s.kind)).toEqual(["refundCreate"]);
  });

  it("refuses before any change: store credit without a customer, more than is left, nothing paid to give back", () => {
    const noCustomer = aSnapshot({ ...splitOrder(), order: anOrder({ customer: null }) });
    expect(
      planCancelLines(noCustomer, facts([]), request({ refund: "store_credit" }), why),
    ).toEqual({ kind: "refused", refusal: { code: "noCustomer" }, steps: [] });
    expect(
      planCancelLines(
        splitOrder(),
        facts([]),
        request({ lines: [{ lineItemId: aLine(1).id, quantity: 5 }] }),
        why,
      ),
    ).toMatchObject({ kind: "refused", refusal: { code: "tooMany", left: 4 } });
    // Shopify suggests nothing back: all that was paid was refunded already.
    const spent = { amount: 0, subtotal: 3000, tax: 0, transactions: [] };
    expect(planCancelLines(splitOrder(), facts([], spent), request(), why)).toMatchObject({
      kind: "refused",
      refusal: { code: "nothingToRefund" },
    });
  });

  describe("in the customer's currency's own decimals (ADR 087)", () => {
    const inCurrency = (
      currencyCode: string,
      refundable: number,
      suggested: RefundFacts["suggested"] = null,
    ): RefundFacts => ({
      currencyCode,
      payments: [{ id: TX1, gateway: "bogus", refundable }],
      suggested,
    });

    it("gives back a dinar order's suggestion to the fils: 7.005 KWD is sent as 7.005, not 7.01", () => {
      const plan = planCancelLines(
        splitOrder(),
        inCurrency("KWD", 7005, {
          amount: 7005,
          subtotal: 7005,
          tax: 0,
          transactions: [{ parentId: TX1, gateway: "bogus", amount: 7005 }],
        }),
        request(),
        why,
      );
      expect(plan.kind === "cancel" && plan.refunded).toBe(7005);
      expect(plan.kind === "cancel" && plan.steps.at(-1)!.input).toMatchObject({
        input: { currency: "KWD", transactions: [{ parentId: TX1, amount: "7.005" }] },
      });
      expect(plan.kind === "cancel" && plan.steps.at(-1)!.summary).toMatchObject({
        params: { amount: "7.005", currency: "KWD" },
      });
    });

    it("sends a set amount of fils as typed, and store credit in yen without decimals", () => {
      const fils = planCancelLines(
        splitOrder(),
        inCurrency("KWD", 9000),
        request({ amount: "2.505" }),
        why,
      );
      expect(fils.kind === "cancel" && fils.refunded).toBe(2505);
      expect(fils.kind === "cancel" && fils.steps.at(-1)!.input).toMatchObject({
        input: { transactions: [{ parentId: TX1, amount: "2.505" }] },
      });
      const yen = planCancelLines(
        splitOrder(),
        inCurrency("JPY", 11705, { amount: 4641, subtotal: 3900, tax: 741, transactions: [] }),
        request({ refund: "store_credit" }),
        why,
      );
      expect(yen.kind === "cancel" && yen.steps.at(-1)!.input).toMatchObject({
        input: {
          currency: "JPY",
          refundMethods: [
            { storeCreditRefund: { amount: { amount: "4641", currencyCode: "JPY" } } },
          ],
        },
      });
    });

    it("refuses, before any change, a set amount with more decimals than the currency has", () => {
      expect(
        planCancelLines(splitOrder(), inCurrency("KWD", 9000), request({ amount: "2.5055" }), why),
      ).toEqual({
        kind: "refused",
        refusal: { code: "amountDecimals", currency: "KWD", decimals: 3 },
        steps: [],
      });
      expect(
        planCancelLines(splitOrder(), inCurrency("JPY", 9000), request({ amount: "1500.5" }), why),
      ).toMatchObject({ refusal: { code: "amountDecimals", currency: "JPY", decimals: 0 } });
      // Trailing zeros are no decimals: 1500.00 yen is 1500 yen.
      expect(
        planCancelLines(splitOrder(), inCurrency("JPY", 9000), request({ amount: "1500.00" }), why),
      ).toMatchObject({ kind: "cancel", refunded: 1500 });
    });
  });

  it("asks a lab holding accepted work on the lines to let go, and does nothing else", () => {
    const print = aLine(1, { quantity: 1, unfulfilledQuantity: 1 });
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [print], { status: "IN_PROGRESS", requestStatus: "ACCEPTED" }),
      ],
    });
    const plan = planCancelLines(
      snapshot,
      facts([]),
      request({ lines: [{ lineItemId: print.id, quantity: 1 }] }),
      why,
    );
    expect(plan).toMatchObject({
      kind: "refused",
      refusal: { code: "labAccepted", asked: true },
    });
    expect(plan.kind === "refused" && plan.steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderSubmitCancellationRequest",
    ]);
  });
});
