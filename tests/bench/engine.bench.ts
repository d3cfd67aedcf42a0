// engine_plans_per_s: how many Plans the pure routing engine makes per second for a 10-line order
// against 200 rules — the engine's CPU cost, next to which Shopify's API budget is the real limit.
import { plan, type Rule } from "../../app/routing";
import {
  aFulfillmentOrder,
  aLine,
  aRule,
  aSnapshot,
  authorized,
  NOW,
  PROFILES,
  SETTINGS,
  STUDIO,
  WAREHOUSE,
} from "../../app/routing/testing.fixtures";
import type { Bench } from "./support/bench";

function scenario() {
  const lines = Array.from({ length: 10 }, (_, i) => aLine(i + 1, { sku: `PRINT-${i}` }));
  const snapshot = aSnapshot({
    order: authorized({ tags: ["vip"] }),
    lineItems: lines,
    fulfillmentOrders: [
      aFulfillmentOrder(1, STUDIO, lines.slice(0, 5)),
      aFulfillmentOrder(2, WAREHOUSE, lines.slice(5)),
    ],
  });
  // 200 rules that mostly do not match (the common case: the engine must look at all of them),
  // then one that splits by capability and fulfils.
  const rules: Rule[] = Array.from({ length: 200 }, (_, i) =>
    aRule(
      {
        name: `Rule ${i}`,
        position: i,
        match: i % 2 ? "all" : "any",
        lines: "every",
        actions: [{ type: "hold", reason: "OTHER" }],
      },
      [
        { field: "vendor", operator: "in", value: ["Nobody", `Vendor ${i}`] },
        { field: "variant_option", optionName: "Paper", operator: "equals", value: "Lustre" },
        { field: "order_total", operator: "greater_than", value: 10 },
      ].slice(0, i % 2 ? 3 : 1) as Rule["conditions"],
    ),
  );
  rules.push(
    aRule(
      {
        name: "Last",
        position: 999,
        actions: [{ type: "split", by: "capability" }, { type: "fulfil_automatically" }],
      },
      [{ field: "product_type", operator: "equals", value: "Print" }],
    ),
  );
  return { snapshot, rules, settings: { ...SETTINGS, capturePolicy: "on_approval" as const } };
}

export const bench: Bench = {
  name: "engine",
  keys: ["engine_plans_per_s"],
  async run({ log }) {
    const { snapshot, rules, settings } = scenario();
    for (let i = 0; i < 500; i++) plan(snapshot, rules, settings, PROFILES, { now: NOW });
    // Best of five one-second runs: the figure is the engine's, not the machine's other load.
    let best = 0;
    for (let round = 0; round < 5; round++) {
      let runs = 0;
      const started = performance.now();
      while (performance.now() - started < 1000) {
        plan(snapshot, rules, settings, PROFILES, { now: NOW });
        runs++;
      }
      const perSecond = runs / ((performance.now() - started) / 1000);
      log(`round ${round + 1}: ${Math.round(perSecond)} plans/s`);
      best = Math.max(best, perSecond);
    }
    return { engine_plans_per_s: Math.round(best) };
  },
};
