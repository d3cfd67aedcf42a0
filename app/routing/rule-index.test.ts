import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compileRules, ruleMatches } from "./conditions";
import { evaluate } from "./evaluate";
import { buildRuleIndex, candidates } from "./rule-index";
import type { Action, Condition, Rule } from "./rules";
import {
  LOCATIONS,
  aFulfillmentOrder,
  aLine,
  aMug,
  aRule,
  aSnapshot,
  anOrder,
  LAB,
  STUDIO,
} from "./testing.fixtures";
import { rulesArb, snapshotArb } from "./testing.arbitraries";
import { buildOrderView } from "./views";

const tag: Action = { type: "add_order_tags", tags: ["seen"] };

/** The rules the index lets through for each fulfillment order, by rule id. */
function letThrough(snapshot: ReturnType<typeof aSnapshot>, rules: Rule[]): string[][] {
  const order = buildOrderView(snapshot);
  const compiled = compileRules(rules);
  const index = buildRuleIndex(compiled);
  return order.fulfillmentOrders.map((view) => {
    const marks = candidates(index, view, order);
    return compiled.filter((_rule, i) => marks[i] === 1).map((rule) => rule.rule.id);
  });
}

describe("rule index", () => {
  const print = aLine(1); // vendor Pixpa, product type Print, Paper Lustre, tag photo
  const mug = aMug(2); // vendor Acme, product type Mug, Color White, tag gift
  const snapshot = aSnapshot({
    order: anOrder({ tags: ["VIP"] }),
    lineItems: [print, mug],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print]), aFulfillmentOrder(2, LAB, [mug])],
  });

  test("skips a rule whose vendor, type, option or tag no line has; keeps the ones a line has", () => {
    const rules = [
      aRule({ id: "pixpa", actions: [tag] }, [
        { field: "vendor", operator: "in", value: [" PIXPA ", "Nobody"] },
      ]),
      aRule({ id: "mugs", actions: [tag] }, [
        { field: "product_type", operator: "equals", value: "mug" },
      ]),
      aRule({ id: "matte", actions: [tag] }, [
        { field: "variant_option", optionName: "paper", operator: "equals", value: "Matte" },
      ]),
      aRule({ id: "gift", actions: [tag] }, [
        { field: "product_tag", operator: "contains", value: "Gift" },
      ]),
      aRule({ id: "at-lab", actions: [tag] }, [
        { field: "assigned_location", operator: "equals", value: LAB.id },
      ]),
    ];
    expect(letThrough(snapshot, rules)).toEqual([["pixpa"], ["mugs", "gift", "at-lab"]]);
  });

  test("keeps every rule it cannot rule out: no conditions, negations, contains, totals, a mixed 'any'", () => {
    const rules = [
      aRule({ id: "none", actions: [tag] }, []),
      aRule({ id: "not-acme", actions: [tag] }, [
        { field: "vendor", operator: "not_equals", value: "Acme" },
      ]),
      aRule({ id: "sku-part", actions: [tag] }, [
        { field: "sku", operator: "contains", value: "zzz" },
      ]),
      aRule({ id: "big", actions: [tag] }, [
        { field: "order_total", operator: "greater_than", value: 1000 },
      ]),
      aRule({ id: "any-mixed", match: "any", actions: [tag] }, [
        { field: "vendor", operator: "equals", value: "Nobody" },
        { field: "order_total", operator: "greater_than", value: 1000 },
      ]),
    ];
    const all = ["none", "not-acme", "sku-part", "big", "any-mixed"];
    expect(letThrough(snapshot, rules)).toEqual([all, all]);
  });

  test("'all' is keyed by one condition it needs; 'any' by every condition's values", () => {
    const rules = [
      aRule({ id: "all-vip-nobody", actions: [tag] }, [
        { field: "order_tag", operator: "contains", value: "vip" },
        { field: "vendor", operator: "equals", value: "Nobody" },
      ]),
      aRule({ id: "any-vip-nobody", match: "any", actions: [tag] }, [
        { field: "order_tag", operator: "contains", value: "vip" },
        { field: "vendor", operator: "equals", value: "Nobody" },
      ]),
    ];
    // The vendor is the better key (more selective than an order tag): no line has it.
    expect(letThrough(snapshot, rules)).toEqual([["any-vip-nobody"], ["any-vip-nobody"]]);
  });

  test("never skips a rule that matches (random orders and rule sets)", () => {
    fc.assert(
      fc.property(snapshotArb, rulesArb, (snap, rules) => {
        const order = buildOrderView(snap);
        const compiled = compileRules(rules);
        const index = buildRuleIndex(compiled);
        for (const view of order.fulfillmentOrders) {
          const marks = candidates(index, view, order);
          compiled.forEach((rule, i) => {
            if (ruleMatches(rule, view, order)) expect(marks[i]).toBe(1);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  test("never skips a rule that matches, with values in any case and spacing", () => {
    const messy = (values: readonly string[]) =>
      fc
        .constantFrom(...values)
        .chain((v) => fc.constantFrom(v, v.toUpperCase(), ` ${v.toLowerCase()} `));
    const keyed: fc.Arbitrary<Condition> = fc.oneof(
      fc.record({
        field: fc.constantFrom("vendor" as const, "product_type" as const, "sku" as const),
        operator: fc.constant("in" as const),
        value: fc.array(messy(["Pixpa", "Acme", "Print", "Mug", "PRINT-10x15-L", ""]), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
      fc.record({
        field: fc.constant("variant_option" as const),
        optionName: messy(["Paper", "Color", "Title"]),
        operator: fc.constant("in" as const),
        value: fc.array(messy(["Lustre", "White", "Default Title"]), { minLength: 1 }),
      }),
      fc.record({
        field: fc.constantFrom("product_tag" as const, "order_tag" as const),
        operator: fc.constant("in" as const),
        value: fc.array(messy(["photo", "gift", "vip"]), { minLength: 1 }),
      }),
      fc.record({
        field: fc.constant("destination_country" as const),
        operator: fc.constant("in" as const),
        value: fc.array(messy(["DE", "US"]), { minLength: 1 }),
      }),
      fc.record({
        field: fc.constant("payment_state" as const),
        operator: fc.constant("equals" as const),
        value: fc.constantFrom("paid" as const, "authorized" as const),
      }),
      fc.record({
        field: fc.constant("assigned_location" as const),
        operator: fc.constant("in" as const),
        value: fc.subarray(
          LOCATIONS.map((l) => l.id),
          { minLength: 1 },
        ),
      }),
      fc.record({
        field: fc.constantFrom("requires_shipping" as const, "gift_card" as const),
        operator: fc.constant("equals" as const),
        value: fc.boolean(),
      }),
    ) as fc.Arbitrary<Condition>;
    const ruleArb = fc.record({
      match: fc.constantFrom("all" as const, "any" as const),
      lines: fc.constantFrom("any" as const, "every" as const),
      conditions: fc.array(keyed, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(snapshotArb, fc.array(ruleArb, { maxLength: 6 }), (snap, shapes) => {
        const rules = shapes.map((shape, i) =>
          aRule({ id: `r${i}`, position: i, ...shape, actions: [tag] }, shape.conditions),
        );
        const order = buildOrderView(snap);
        const compiled = compileRules(rules);
        const index = buildRuleIndex(compiled);
        for (const view of order.fulfillmentOrders) {
          const marks = candidates(index, view, order);
          compiled.forEach((rule, i) => {
            if (ruleMatches(rule, view, order)) expect(marks[i]).toBe(1);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  test("the walk over the index decides as before: the first matching rule by priority", () => {
    const rules = [
      aRule({ id: "late-any", position: 9, actions: [tag] }, []),
      aRule({ id: "mugs", position: 2, actions: [tag] }, [
        { field: "product_type", operator: "equals", value: "Mug" },
      ]),
      aRule({ id: "nobody", position: 1, actions: [tag] }, [
        { field: "vendor", operator: "equals", value: "Nobody" },
      ]),
    ];
    expect(evaluate(snapshot, rules).map((m) => m.ruleIds)).toEqual([["late-any"], ["mugs"]]);
  });
});
