import fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
import { orderReadNeeds, type OrderReadNeeds } from "./order-reads";
import { plan } from "./plan";
import type { LineCondition } from "./rules";
import type { OrderSnapshot } from "./snapshot";
import { nowArb, profilesArb, rulesArb, settingsArb, snapshotArb } from "./testing.arbitraries";
import { aRule, anOrder, NOW, onePrintAtStudio, PROFILES, SETTINGS } from "./testing.fixtures";

// Property runs are many plans each; give slow machines room.
vi.setConfig({ testTimeout: 60_000 });

const hold = { type: "hold", reason: "OTHER" } as const;

describe("what of an order the router reads for the rules in force", () => {
  test("rules that look at neither the total, the shipping nor the lines' products need none of them", () => {
    const rules = [
      aRule({ actions: [hold] }, [{ field: "risk_level", operator: "equals", value: "HIGH" }]),
      aRule({ actions: [{ type: "split", by: "vendor" }] }, [
        { field: "fulfilment_service", operator: "exists", value: true },
        { field: "sku", operator: "starts_with", value: "LAB-" },
      ]),
    ];
    expect(orderReadNeeds(rules)).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: false,
      catalogue: false,
      stock: false,
    });
  });

  test("product type, product tag and variant option conditions, anywhere, and splits by capability need the lines' products and options", () => {
    const onLines = (field: "product_type" | "product_tag" | "variant_option"): LineCondition =>
      field === "variant_option"
        ? { field, optionName: "Paper", operator: "equals", value: "Matte" }
        : field === "product_tag"
          ? { field, operator: "contains", value: "canvas" }
          : { field, operator: "equals", value: "Canvas" };
    for (const field of ["product_type", "product_tag", "variant_option"] as const) {
      expect(orderReadNeeds([aRule({ actions: [hold] }, [onLines(field)])])).toMatchObject({
        catalogue: true,
        total: false,
      });
      const split = aRule({
        actions: [{ type: "split", by: "line_condition", conditions: [onLines(field)] }],
      });
      expect(orderReadNeeds([split]).catalogue).toBe(true);
    }
    expect(orderReadNeeds([aRule({ actions: [{ type: "split", by: "capability" }] })])).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: false,
      catalogue: true,
      stock: false,
    });
  });

  test("only a split by stock needs each line's stock at its location", () => {
    expect(orderReadNeeds([aRule({ actions: [{ type: "split", by: "stock" }] })])).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: false,
      catalogue: false,
      stock: true,
    });
    expect(orderReadNeeds([aRule({ actions: [{ type: "split", by: "vendor" }] })]).stock).toBe(
      false,
    );
  });

  test("each condition on the total, the destination or the shipping method needs its part", () => {
    const total = aRule({ actions: [hold] }, [
      { field: "order_total", operator: "greater_than", value: 100 },
    ]);
    const country = aRule({ actions: [hold] }, [
      { field: "destination_country", operator: "equals", value: "NO" },
    ]);
    const province = aRule({ actions: [hold] }, [
      { field: "destination_province", operator: "equals", value: "BY" },
    ]);
    const method = aRule({ actions: [hold] }, [
      { field: "shipping_method", operator: "contains", value: "Express" },
    ]);
    expect(orderReadNeeds([total])).toEqual({
      total: true,
      shippingAddress: false,
      shippingLines: false,
      catalogue: false,
      stock: false,
    });
    expect(orderReadNeeds([country]).shippingAddress).toBe(true);
    expect(orderReadNeeds([province]).shippingAddress).toBe(true);
    expect(orderReadNeeds([method])).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: true,
      catalogue: false,
      stock: false,
    });
    // A switched-off rule still counts: it may be on again by the time the order is planned.
    expect(orderReadNeeds([{ ...total, enabled: false }]).total).toBe(true);
  });

  test("an order read without its total never matches a total condition, and plans the same otherwise", () => {
    const unread = onePrintAtStudio(anOrder({ totalPrice: null }));
    const onTotal = aRule({ actions: [hold] }, [
      { field: "order_total", operator: "less_than", value: 1_000_000 },
    ]);
    const onRisk = aRule({ actions: [hold] }, [
      { field: "risk_level", operator: "equals", value: "LOW" },
    ]);
    const planned = (rules: ReturnType<typeof aRule>[]) =>
      plan(unread, rules, SETTINGS, PROFILES, { now: new Date(NOW) });
    expect(planned([onTotal]).steps.filter((s) => s.kind === "fulfillmentOrderHold")).toEqual([]);
    expect(planned([onRisk]).steps.map((s) => s.kind)).toContain("fulfillmentOrderHold");
  });
});

/** The snapshot the router's read gives when it asks only for what `needs` says. */
function readFor(snapshot: OrderSnapshot, needs: OrderReadNeeds): OrderSnapshot {
  return {
    ...snapshot,
    order: {
      ...snapshot.order,
      totalPrice: needs.total ? snapshot.order.totalPrice : null,
      shippingAddress: needs.shippingAddress ? snapshot.order.shippingAddress : null,
      shippingLines: needs.shippingLines ? snapshot.order.shippingLines : [],
    },
    fulfillmentOrders: needs.stock
      ? snapshot.fulfillmentOrders
      : snapshot.fulfillmentOrders.map((fo) => ({
          ...fo,
          lineItems: fo.lineItems.map(({ inStockQuantity: _, stockUnknown: __, ...line }) => line),
        })),
    lineItems: needs.catalogue
      ? snapshot.lineItems
      : snapshot.lineItems.map((line) => ({
          ...line,
          productType: "",
          productTags: [],
          variantOptions: [],
        })),
  };
}

describe("an order read for the rules in force plans as the whole order would", () => {
  test("whatever the rules, the parts they do not need change nothing in the plan", () => {
    fc.assert(
      fc.property(
        snapshotArb,
        rulesArb,
        settingsArb,
        profilesArb,
        nowArb,
        fc.boolean(),
        (snapshot, drawn, settings, profiles, now, withoutCatalogue) => {
          // Half the rule sets keep only rules that look at no line's product, so the catalogue
          // is left out of their read as often as it is read.
          const rules = withoutCatalogue
            ? drawn.filter((rule) => !orderReadNeeds([rule]).catalogue)
            : drawn;
          const planned = (s: OrderSnapshot) => plan(s, rules, settings, profiles, { now });
          expect(planned(readFor(snapshot, orderReadNeeds(rules)))).toEqual(planned(snapshot));
        },
      ),
      { numRuns: 300 },
    );
  });
});
