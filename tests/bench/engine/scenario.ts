// The engine benchmark's case: a 10-line order against 201 rules, planned from rule and profile rows read fresh for every order, as the worker plans.
import {
  plan,
  ruleSetFromStored,
  ruleToStored,
  type CapabilityProfile,
  type Plan,
  type Rule,
  type VersionedStoredRule,
} from "../../../app/routing";
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
} from "../../../app/routing/testing.fixtures";

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

export interface EngineCase {
  /**
   * The database's work for one order, not timed: the shop's rule rows and capability profiles
   * as one read returns them (fresh objects every call), handed to the next `planOrder`.
   */
  readForOrder: () => void;
  /**
   * The worker's work for that order, timed: the rule set of the rows read (built again only when
   * a row's version changed), then a plan. The rows are let go once the rule set is had, as
   * `loadShopConfig` lets them go before the worker plans.
   */
  planOrder: () => Plan;
}

export function engineCase(): EngineCase {
  const s = scenario();
  // Fresh strings and dates per order, in objects of one shape with the Rule table's columns in
  // its order, as Prisma's read returns them. (Rows spread from a template, `{ ...row, id }`,
  // each got a map of their own in V8: every property read of them missed its inline cache,
  // which cost more than the plan itself and is a cost the worker's rows never have.)
  const stored = s.rules.map(ruleToStored);
  const savedAt = Date.parse("2026-11-30T09:00:00Z");
  const fresh = (text: string) => `${text} `.trimEnd();
  const rowsForOrder = (): (VersionedStoredRule & { shop: string; createdAt: Date })[] =>
    stored.map((row, i) => ({
      id: fresh(row.id),
      shop: fresh("bench.myshopify.com"),
      name: fresh(row.name),
      position: row.position,
      enabled: row.enabled,
      conditions: fresh(row.conditions),
      actions: fresh(row.actions),
      createdAt: new Date(savedAt),
      updatedAt: new Date(savedAt + i),
    }));
  // The worker reads the capability profiles from their rows for every order too, so the
  // planner's per-profile compile cache (a WeakMap on the profile object) never hits there:
  // fresh objects here, or the figure would count a cache the worker does not have.
  const profilesForOrder = (): CapabilityProfile[] =>
    PROFILES.map((p) => ({
      locationId: fresh(p.locationId),
      name: fresh(p.name),
      kind: p.kind,
      productTypes: p.productTypes.map(fresh),
      options: Object.fromEntries(
        Object.entries(p.options).map(([name, values]) => [fresh(name), values.map(fresh)]),
      ),
    }));
  // What the last read returned, until the plan takes it: held here rather than by the harness's
  // loop, so nothing keeps the rows alive while the plan runs (the worker's rows are garbage by
  // then: `loadShopConfig` returns the rule set, not the rows). Rows kept alive through the plan
  // were copied by every scavenge the plan set off: 180 KB of them against the plan's 40 KB.
  let rows: VersionedStoredRule[] | null = null;
  let profiles: CapabilityProfile[] | null = null;
  const readForOrder = () => {
    rows = rowsForOrder();
    profiles = profilesForOrder();
  };
  // As `loadShopConfig`: the shop's stored rule rows, read in priority order, become its rule set.
  const loadRules = (): readonly Rule[] => {
    const read = rows;
    rows = null;
    if (!read) throw new Error("planOrder without readForOrder");
    return ruleSetFromStored("bench.myshopify.com", read).rules;
  };
  // The worker's clock reads a Date for every plan (not a string the planner would parse).
  const now = Date.parse(NOW);
  const planOrder = () => {
    const rules = loadRules();
    return plan(s.snapshot, rules, s.settings, profiles!, { now: new Date(now) });
  };
  return { readForOrder, planOrder };
}
