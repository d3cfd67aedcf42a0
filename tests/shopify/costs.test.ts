// What the order read asks Shopify's bucket for, by the simulator's cost model (Shopify's documented
// rules: objects 1, connections 2 + first × a node): Shopify refuses a query over 1,000 and must
// hold the whole requested cost before it runs, so a smaller request waits less on a busy shop.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { queryCost } from "../../simulator/src/graphql/cost";
import {
  ORDER_CANCEL_CHECK_QUERY,
  ORDER_REFUND_FACTS_QUERY,
  ORDER_ROUTING_SNAPSHOT_QUERY,
  ORDER_SNAPSHOT_QUERY,
  ORDER_SUGGESTED_REFUND_QUERY,
  STOCK_AT_LOCATION_QUERY,
} from "../../app/shopify/operations";
import { FIRST_READ, FULL_READ, ROUTING_FIRST_READ } from "../../app/shopify/snapshot.server";
import { STOCK_ITEMS_PAGE } from "../../app/shopify/stock.server";
import { adminSchema } from "./support/schema";

const requested = (variables: Record<string, unknown>) =>
  queryCost(adminSchema(), parse(ORDER_SNAPSHOT_QUERY), "OrderSnapshot", {
    id: "gid://shopify/Order/1",
    // The most a read asks for: every optional part included.
    withLocations: true,
    withTotal: true,
    withOutstanding: true,
    withShippingAddress: true,
    withShippingLine: true,
    withCatalogue: true,
    withFulfillmentServices: true,
    ...variables,
  });

describe("the order read's requested cost", () => {
  it("asks for at most 250 points at the first read's sizes", () => {
    expect(requested({ ...FIRST_READ })).toBeLessThanOrEqual(250);
  });

  it("stays under Shopify's 1,000-point limit when a large order is read in full", () => {
    expect(requested({ ...FULL_READ })).toBeLessThanOrEqual(1000);
  });
});

describe("the router's order read's requested cost", () => {
  it("asks for at most 250 points at its first read's sizes, every optional part included", () => {
    const { fulfillmentOrders, fulfillmentOrderLines } = ROUTING_FIRST_READ;
    expect(
      queryCost(adminSchema(), parse(ORDER_ROUTING_SNAPSHOT_QUERY), "OrderRoutingSnapshot", {
        id: "gid://shopify/Order/1",
        fulfillmentOrders,
        fulfillmentOrderLines,
        withLocations: true,
        withTotal: true,
        withOutstanding: true,
        withShippingAddress: true,
        withShippingLine: true,
        withCatalogue: true,
        withFulfillmentServices: true,
      }),
    ).toBeLessThanOrEqual(250);
  });
});

describe("the shop's locations in the router's order read", () => {
  it("ask for the first 20 alone, two points each: whether more follow rides in the connection's 2", () => {
    const { fulfillmentOrders, fulfillmentOrderLines } = ROUTING_FIRST_READ;
    const asked = (withLocations: boolean) =>
      queryCost(adminSchema(), parse(ORDER_ROUTING_SNAPSHOT_QUERY), "OrderRoutingSnapshot", {
        id: "gid://shopify/Order/1",
        fulfillmentOrders,
        fulfillmentOrderLines,
        withLocations,
        withTotal: true,
        withOutstanding: true,
        withShippingAddress: true,
        withShippingLine: true,
        withCatalogue: true,
        // Apart from the locations: each fulfillment order's service costs its own point.
        withFulfillmentServices: false,
      });
    expect(asked(true) - asked(false)).toBe(2 + 20 * 2);
  });
});

describe("the stock read of a split by stock", () => {
  it("asks for 3 points an inventory item (the item, its level there, the quantities), a page at most 150", () => {
    const asked = (items: number) =>
      queryCost(adminSchema(), parse(STOCK_AT_LOCATION_QUERY), "StockAtLocation", {
        ids: Array.from({ length: items }, (_, i) => `gid://shopify/InventoryItem/${i + 1}`),
        locationId: "gid://shopify/Location/1",
      });
    // The model counts a list without `first` as one object, the most Shopify charges for a
    // node it returns; Shopify charges each id asked for, so a page of them is pinned by count.
    expect(asked(1)).toBe(3);
    expect(STOCK_ITEMS_PAGE * asked(1)).toBeLessThanOrEqual(150);
  });
});

describe("a refund in full's reads (Cancel items, ADR 082)", () => {
  it("ask for 12 points for Shopify's suggestion and 85 for the payments, since the lines' prices are no longer read", () => {
    const id = "gid://shopify/Order/1";
    const suggestion = queryCost(
      adminSchema(),
      parse(ORDER_SUGGESTED_REFUND_QUERY),
      "OrderSuggestedRefund",
      { id, refundLineItems: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }] },
    );
    const payments = queryCost(adminSchema(), parse(ORDER_REFUND_FACTS_QUERY), "OrderRefundFacts", {
      id,
    });
    expect([suggestion, payments]).toEqual([12, 85]);
  });
});

describe("what Shopify would refuse a cancel for (ADR 095)", () => {
  it("is read apart from the order the rules route, for 155 points, only when a cancel dialog opens or a cancel runs", () => {
    const cost = queryCost(adminSchema(), parse(ORDER_CANCEL_CHECK_QUERY), "OrderCancelCheck", {
      id: "gid://shopify/Order/1",
    });
    expect(cost).toBe(155);
  });
});
