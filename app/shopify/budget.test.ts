// The gateway's picture of Shopify's leaky bucket: refills at the restore rate, never above the
// maximum, and tells how long a call must wait.
import { describe, expect, it } from "vitest";
import { costShape, ShopBudgets } from "./budget";

const shop = "budget.myshopify.com";

describe("ShopBudgets", () => {
  it("refills at the restore rate Shopify reported, capped at the bucket size", () => {
    const budgets = new ShopBudgets();
    budgets.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 }, 0);
    expect(budgets.available(shop, 1000)).toBe(200);
    expect(budgets.available(shop, 60_000)).toBe(2000);
  });

  it("says how long a call must wait for its cost to fit", () => {
    const budgets = new ShopBudgets();
    budgets.observe(shop, { maximumAvailable: 20000, currentlyAvailable: 0, restoreRate: 1000 }, 0);
    expect(budgets.waitFor(shop, 500, 0)).toBe(500);
    expect(budgets.waitFor(shop, 500, 500)).toBe(0);
  });

  it("keeps shops apart: one shop's empty bucket does not slow another", () => {
    const budgets = new ShopBudgets();
    budgets.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 }, 0);
    expect(budgets.waitFor(shop, 100, 0)).toBe(1000);
    expect(budgets.waitFor("other.myshopify.com", 100, 0)).toBe(0);
  });

  it("reserves expected cost so concurrent calls for one shop queue up instead of overrunning", () => {
    const budgets = new ShopBudgets();
    budgets.observe(shop, { maximumAvailable: 2000, currentlyAvailable: 150, restoreRate: 100 }, 0);
    budgets.reserve(shop, 100, 0);
    expect(budgets.waitFor(shop, 100, 0)).toBe(500);
  });

  it("remembers each operation's requested cost as the estimate for its next call", () => {
    const budgets = new ShopBudgets();
    expect(budgets.expectedCost("OrderSnapshot")).toBe(10);
    budgets.observeCost("OrderSnapshot", 182);
    expect(budgets.expectedCost("OrderSnapshot")).toBe(182);
  });

  it("expects a call to ask what the last one of its shape asked, or the operation's last for a shape not seen", () => {
    const budgets = new ShopBudgets();
    const one = costShape({ id: "gid://shopify/Order/1", fulfillmentOrders: 2, withTotal: false });
    const three = costShape({
      id: "gid://shopify/Order/2",
      fulfillmentOrders: 3,
      withTotal: false,
    });
    expect(one).toBe(costShape({ withTotal: false, fulfillmentOrders: 2, id: "other" }));
    budgets.observeCost("OrderRoutingSnapshot", 57, one);
    budgets.observeCost("OrderRoutingSnapshot", 124, three);
    expect(budgets.expectedCost("OrderRoutingSnapshot", one)).toBe(57);
    expect(budgets.expectedCost("OrderRoutingSnapshot", three)).toBe(124);
    expect(budgets.expectedCost("OrderRoutingSnapshot", costShape({ fulfillmentOrders: 4 }))).toBe(
      124,
    );
  });
});
