import { describe, expect, test } from "vitest";
import { compileRules } from "./conditions";
import { plan } from "./plan";
import { ruleSetFromStored, type VersionedStoredRule } from "./rule-set";
import { ruleToStored } from "./schema";
import {
  aFulfillmentOrder,
  aLine,
  aRule,
  aSnapshot,
  NOW,
  PROFILES,
  SETTINGS,
  STUDIO,
} from "./testing.fixtures";

const SAVED = Date.parse("2026-12-01T10:00:00Z");

/** The rows as a database read returns them: fresh objects and strings every time. */
function read(rows: VersionedStoredRule[]): VersionedStoredRule[] {
  return rows.map((row) => ({
    ...row,
    id: `${row.id} `.trimEnd(),
    conditions: `${row.conditions} `.trimEnd(),
    actions: `${row.actions} `.trimEnd(),
    updatedAt: new Date(row.updatedAt.getTime()),
  }));
}

function stored() {
  const hold = aRule(
    { id: "rs-hold", name: "Hold canvases", position: 1, actions: [{ type: "hold_for_review" }] },
    [{ field: "product_type", operator: "equals", value: "Canvas" }],
  );
  const fulfil = aRule({
    id: "rs-fulfil",
    name: "Fulfil the rest",
    position: 2,
    actions: [{ type: "fulfil_automatically" }],
  });
  return [fulfil, hold].map((rule, i) => ({
    ...ruleToStored(rule),
    updatedAt: new Date(SAVED + i),
  }));
}

describe("a shop's rule set, loaded once per version", () => {
  test("the same rows read again give the same frozen rule set, in priority order, compiled once", () => {
    const rows = stored();
    const first = ruleSetFromStored("versions.myshopify.com", read(rows));
    const again = ruleSetFromStored("versions.myshopify.com", read(rows));
    expect(again).toBe(first);
    expect(Object.isFrozen(first.rules)).toBe(true);
    expect(first.rules.map((rule) => rule.id)).toEqual(["rs-hold", "rs-fulfil"]);
    expect(compileRules(again.rules)).toBe(compileRules(first.rules));
  });

  test("a rule saved again is planned with what was saved, not the rule set loaded before", () => {
    const rows = stored();
    const snapshot = aSnapshot({
      lineItems: [aLine(1, { productType: "Canvas" })],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [aLine(1, { productType: "Canvas" })])],
    });
    const before = ruleSetFromStored("edits.myshopify.com", read(rows));
    const held = plan(snapshot, before.rules, SETTINGS, PROFILES, { now: NOW });
    expect(held.steps.map((step) => step.kind)).toEqual(["fulfillmentOrderHold"]);

    // The merchant turns the hold rule off: Prisma gives the row a new updatedAt.
    const edited = rows.map((row) =>
      row.id === "rs-hold" ? { ...row, enabled: false, updatedAt: new Date(SAVED + 60_000) } : row,
    );
    const after = ruleSetFromStored("edits.myshopify.com", read(edited));
    expect(after).not.toBe(before);
    const sent = plan(snapshot, after.rules, SETTINGS, PROFILES, { now: NOW });
    expect(sent.steps.map((step) => step.kind)).toEqual(["fulfillmentCreate"]);
  });

  test("a rule added or deleted makes a new rule set; another shop's rules never mix in", () => {
    const rows = stored();
    const both = ruleSetFromStored("adds.myshopify.com", read(rows));
    const one = ruleSetFromStored("adds.myshopify.com", read(rows.slice(0, 1)));
    expect(one).not.toBe(both);
    expect(one.rules.map((rule) => rule.id)).toEqual(["rs-fulfil"]);
    const other = ruleSetFromStored("other.myshopify.com", []);
    expect(other.rules).toEqual([]);
    expect(ruleSetFromStored("adds.myshopify.com", read(rows.slice(0, 1)))).toBe(one);
  });

  test("a stored rule that no longer parses is left out and reported with the field at fault", () => {
    const rows = stored();
    const broken = rows.map((row) =>
      row.id === "rs-hold" ? { ...row, actions: "[{not json" } : row,
    );
    const set = ruleSetFromStored("broken.myshopify.com", read(broken));
    expect(set.rules.map((rule) => rule.id)).toEqual(["rs-fulfil"]);
    expect(set.invalid).toEqual([
      {
        id: "rs-hold",
        name: "Hold canvases",
        errors: [{ path: "actions", message: { key: "fieldErrors.notJson" } }],
      },
    ]);
  });

  test("a rule set that is not frozen is compiled afresh, so changing it in place is never missed", () => {
    const rules = [
      aRule({ id: "rs-loose", position: 1, actions: [{ type: "fulfil_automatically" }] }),
    ];
    const first = compileRules(rules);
    rules.push(aRule({ id: "rs-added", position: 2, actions: [{ type: "hold_for_review" }] }));
    expect(compileRules(rules).map((rule) => rule.rule.id)).toEqual(["rs-loose", "rs-added"]);
    expect(first).toHaveLength(1);
  });
});
