// What many orders' plans ask Shopify about their moves (a dry run, ADR 099): the orders' questions
// in shared queries, none asking for more points than it may, each order planned on its answer.
import { describe, expect, it } from "vitest";
import { plan, type Plan } from "../routing";
import type { AdminGateway } from "../shopify/gateway.server";
import {
  aFulfillmentOrder,
  aLine,
  anOrder,
  aRule,
  aSnapshot,
  foGid,
  LAB,
  NOW,
  SETTINGS,
  STUDIO,
} from "../routing/testing.fixtures";
import { askCost, ShopifyAllowsAsker } from "./shopify-allows.server";

const NOT_STOCKED = "No items are stocked at this location.";

/** Order n: one print Shopify sent to the Studio, on fulfillment order n. */
const printAtStudio = (n: number) => {
  const print = aLine(n);
  return aSnapshot({
    order: anOrder({ id: `gid://shopify/Order/${n}`, name: `#${n}` }),
    lineItems: [print],
    fulfillmentOrders: [aFulfillmentOrder(n, STUDIO, [print])],
  });
};

/**
 * Shopify as the asker meets it: the lab stocks the prints of even-numbered orders only. Keeps
 * each query's variables.
 */
function shopify() {
  const asked: Record<string, unknown>[] = [];
  const gateway: AdminGateway = {
    shop: "photo-shop.myshopify.com",
    async request<T>(_document: string, variables?: Record<string, unknown>) {
      asked.push(variables!);
      const ids = variables!.ids as string[];
      const nodes = ids.map((id) => {
        const n = Number(id.slice(id.lastIndexOf("/") + 1));
        const stocked = n % 2 === 0;
        return {
          id,
          locationsForMove: {
            nodes: [
              {
                movable: stocked,
                message: stocked ? null : NOT_STOCKED,
                location: { id: LAB.id },
                availableLineItems: {
                  nodes: stocked
                    ? [{ id: `gid://shopify/FulfillmentOrderLineItem/${n * 100 + 1}` }]
                    : [],
                },
              },
            ],
          },
        };
      });
      return { nodes } as T;
    },
  };
  return { gateway, asked };
}

const toLab = aRule({
  name: "Prints go to the lab",
  actions: [{ type: "move", locationId: LAB.id }],
});
const onTheirAnswer = (n: number) => {
  const snapshot = printAtStudio(n);
  return {
    snapshot,
    planWith: (answers: Parameters<typeof plan>[4]["shopify"]) =>
      plan(snapshot, [toLab], SETTINGS, [], { now: NOW, shopify: answers }),
  };
};
const kinds = (p: Plan) => p.steps.map((s) => s.kind);

describe("many orders' moves asked of Shopify together", () => {
  it("asks about every order's move in as few queries as fit the points one may ask for, each planned on its answer", async () => {
    const { gateway, asked } = shopify();
    // One fulfillment order's question (one location, one line): 1 + 2 + 1 × (4 + 1) points.
    const one = askCost(1, { locations: 1, lines: 1, move: true, merge: false });
    const asker = new ShopifyAllowsAsker(gateway, [LAB.id], 2 * one);

    const plans = await asker.planEach([1, 2, 3, 4, 5, 6].map(onTheirAnswer));

    // Two fulfillment orders a query, each asked once
    expect(asked.map((v) => v.ids)).toEqual([
      [foGid(1), foGid(2)],
      [foGid(3), foGid(4)],
      [foGid(5), foGid(6)],
    ]);
    for (const v of asked)
      expect(
        askCost((v.ids as string[]).length, v as Parameters<typeof askCost>[1]),
      ).toBeLessThanOrEqual(2 * one);
    expect(asker.asked).toBe(3);
    // The lab stocks the even ones' prints: they move; the others wait with Shopify's words
    expect(plans.map(kinds)).toEqual([
      [],
      ["fulfillmentOrderMove"],
      [],
      ["fulfillmentOrderMove"],
      [],
      ["fulfillmentOrderMove"],
    ]);
    expect(plans[0]!.needsAttention.map((a) => a.code)).toEqual(["not_allowed_by_shopify"]);
  });

  it("asks only about the location the move goes to, not every location the rules name (ADR 105)", async () => {
    const { gateway, asked } = shopify();
    const asker = new ShopifyAllowsAsker(gateway, [LAB.id, STUDIO.id, "gid://shopify/Location/77"]);

    const plans = await asker.planEach([onTheirAnswer(2)]);

    // 5 points a location and fulfillment order: the rules' other locations are not asked about
    expect(asked.map((v) => v.locationIds)).toEqual([[LAB.id]]);
    expect(plans.map(kinds)).toEqual([["fulfillmentOrderMove"]]);
  });

  it("asks nothing when no plan moves or merges", async () => {
    const { gateway, asked } = shopify();
    const asker = new ShopifyAllowsAsker(gateway, [LAB.id]);
    const stay = aRule({ name: "Prints wait for a look", actions: [{ type: "hold_for_review" }] });
    const plans = await asker.planEach(
      [1, 2].map((n) => {
        const snapshot = printAtStudio(n);
        return {
          snapshot,
          planWith: (answers: Parameters<typeof plan>[4]["shopify"]) =>
            plan(snapshot, [stay], SETTINGS, [], { now: NOW, shopify: answers }),
        };
      }),
    );
    expect(plans.map(kinds)).toEqual([["fulfillmentOrderHold"], ["fulfillmentOrderHold"]]);
    expect(asked).toEqual([]);
  });
});
