import { describe, expect, test } from "vitest";
import { orderReadNeeds } from "./order-reads";
import { plan } from "./plan";
import { aRule, anOrder, NOW, onePrintAtStudio, PROFILES, SETTINGS } from "./testing.fixtures";

const hold = { type: "hold", reason: "OTHER" } as const;

describe("what of an order the router reads for the rules in force", () => {
  test("rules that look at neither the total nor the shipping need neither", () => {
    const rules = [
      aRule({ actions: [hold] }, [{ field: "risk_level", operator: "equals", value: "HIGH" }]),
      aRule({ actions: [{ type: "split", by: "capability" }] }),
    ];
    expect(orderReadNeeds(rules)).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: false,
    });
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
    });
    expect(orderReadNeeds([country]).shippingAddress).toBe(true);
    expect(orderReadNeeds([province]).shippingAddress).toBe(true);
    expect(orderReadNeeds([method])).toEqual({
      total: false,
      shippingAddress: false,
      shippingLines: true,
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
