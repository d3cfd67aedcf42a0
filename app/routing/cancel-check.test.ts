// What Shopify would refuse a cancel or a refund for, decided from the order's facts and the form's choices.
import { describe, expect, it } from "vitest";
import { cancelLinesBlock, cancelOrderBlock, type CancelCheckFacts } from "./cancel-check";

const facts = (over: Partial<CancelCheckFacts> = {}): CancelCheckFacts => ({
  returnInProgress: false,
  company: null,
  paid: true,
  inactiveLocations: [],
  ...over,
});
const closedStudio = [{ location: "Studio", lineItemIds: ["gid://shopify/LineItem/1"] }];

describe("cancelOrderBlock (orderCancel's documented refusals)", () => {
  it("refuses while a return is active, whatever is chosen", () => {
    expect(
      cancelOrderBlock(facts({ returnInProgress: true }), { refund: "none", restock: false }),
    ).toEqual({ code: "returnInProgress" });
  });
  it("refuses store credit on a B2B order, not a refund to the original payment", () => {
    const b2b = facts({ company: "Acme GmbH" });
    expect(cancelOrderBlock(b2b, { refund: "store_credit", restock: false })).toEqual({
      code: "storeCreditB2B",
      company: "Acme GmbH",
    });
    expect(cancelOrderBlock(b2b, { refund: "original", restock: false })).toBeNull();
  });
  it("refuses a restock at a deactivated location on a paid order only (an unpaid one is canceled unrestocked)", () => {
    const choice = { refund: "original" as const, restock: true };
    expect(cancelOrderBlock(facts({ inactiveLocations: closedStudio }), choice)).toEqual({
      code: "locationInactive",
      location: "Studio",
    });
    expect(
      cancelOrderBlock(facts({ inactiveLocations: closedStudio, paid: false }), choice),
    ).toBeNull();
    expect(
      cancelOrderBlock(facts({ inactiveLocations: closedStudio }), { ...choice, restock: false }),
    ).toBeNull();
  });
});

describe("cancelLinesBlock (refundCreate's)", () => {
  it("refuses a restock only where a chosen line was to ship from, and never for a return", () => {
    const f = facts({ inactiveLocations: closedStudio, returnInProgress: true });
    const choice = { refund: "none" as const, restock: true };
    expect(cancelLinesBlock(f, { ...choice, lineItemIds: ["gid://shopify/LineItem/1"] })).toEqual({
      code: "locationInactive",
      location: "Studio",
    });
    expect(
      cancelLinesBlock(f, { ...choice, lineItemIds: ["gid://shopify/LineItem/2"] }),
    ).toBeNull();
  });
  it("refuses store credit on a B2B order", () => {
    expect(
      cancelLinesBlock(facts({ company: "Acme GmbH" }), {
        refund: "store_credit",
        restock: false,
        lineItemIds: [],
      }),
    ).toEqual({ code: "storeCreditB2B", company: "Acme GmbH" });
  });
});
