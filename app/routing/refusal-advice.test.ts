// Which code a refused Step keeps: Shopify's where it gave one with advice, else what the order read
// after the refusal shows (the situations whose mutations answer userErrors without a code).
import { describe, expect, it } from "vitest";
import { makeStep, type Step } from "./steps";
import { settingsWhy } from "./plan-builder";
import { refusalAdvice, refusalCode } from "./refusal-advice";
import {
  aFulfillmentOrder,
  aLine,
  anOrder,
  aSnapshot,
  foGid,
  LAB,
  ORDER_ID,
  PARTNER,
  STUDIO,
} from "./testing.fixtures";
import { engineSaid } from "./words";

const print = aLine(1);
const why = settingsWhy(engineSaid("why.downloadsReview"));
const request = makeStep(
  "fulfillmentOrderSubmitFulfillmentRequest",
  ORDER_ID,
  foGid(1),
  { id: foGid(1), notifyCustomer: false },
  "request",
  why,
);
const move = makeStep(
  "fulfillmentOrderMove",
  ORDER_ID,
  foGid(1),
  { id: foGid(1), newLocationId: PARTNER.id },
  "move",
  why,
);
const capture = makeStep(
  "orderCapture",
  ORDER_ID,
  null,
  {
    input: {
      id: ORDER_ID,
      parentTransactionId: "gid://shopify/OrderTransaction/501",
      amount: "49.00",
      currency: "EUR",
    },
  },
  "capture",
  why,
);

function after(fo: Parameters<typeof aFulfillmentOrder>[3] | null, order = anOrder()) {
  return aSnapshot({
    order,
    lineItems: [print],
    fulfillmentOrders: fo ? [aFulfillmentOrder(1, LAB, [print], fo)] : [],
  });
}

describe("the code a refused Step keeps", () => {
  it("takes Shopify's code with advice first, then any code of Shopify's", () => {
    expect(refusalCode(move, ["TAKEN", "INVALID_ACCESS"], after({}))).toBe("INVALID_ACCESS");
    expect(refusalCode(move, ["TAKEN"], after({}))).toBe("TAKEN");
  });

  it("reads the situation from the order where Shopify gave no code", () => {
    const cases: [Step, ReturnType<typeof after> | null, string | null][] = [
      [request, after(null), "fulfillmentOrderGone"],
      [request, after({ status: "CLOSED" }), "fulfillmentOrderClosed"],
      [request, after({ status: "CANCELLED" }), "fulfillmentOrderClosed"],
      [request, after({ status: "ON_HOLD" }), "heldMeanwhile"],
      [request, after({ supportedActions: [] }), "requestsNotTaken"],
      [request, after({}), null],
      [move, after({}), "destinationCannotTake"],
      [
        move,
        aSnapshot({
          lineItems: [print],
          fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print], { status: "IN_PROGRESS" })],
        }),
        "markedInProgress",
      ],
      // The move went through after all (its answer said otherwise): nothing to advise.
      [
        move,
        aSnapshot({
          lineItems: [print],
          fulfillmentOrders: [aFulfillmentOrder(1, PARTNER, [print])],
        }),
        null,
      ],
      [capture, after({}, anOrder({ displayFinancialStatus: "EXPIRED" })), "authorizationExpired"],
      [capture, after({}, anOrder({ displayFinancialStatus: "AUTHORIZED" })), null],
      [request, null, null],
    ];
    for (const [step, read, code] of cases)
      expect(
        refusalCode(step, [], read),
        `${step.kind} ${JSON.stringify(read?.fulfillmentOrders[0]?.status)}`,
      ).toBe(code);
  });

  it("reads the general advice for no code and for a code without advice", () => {
    expect(refusalAdvice(undefined)).toEqual(engineSaid("route.advice.general"));
    expect(refusalAdvice("TAKEN")).toEqual(engineSaid("route.advice.general"));
    // A stored code is data: one named like an object's own property is just a code without advice.
    expect(refusalAdvice("constructor")).toEqual(engineSaid("route.advice.general"));
    expect(refusalAdvice("GREATER_THAN")).toEqual(engineSaid("route.advice.linesChanged"));
  });
});
