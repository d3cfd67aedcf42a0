import { describe, expect, test } from "vitest";
import { engineSaid, words } from "./words";
import { diffPlans, dryRun, previewRuleChange } from "./dry-run";
import { plan } from "./plan";
import type { Condition, Rule } from "./rules";
import {
  aFulfillmentOrder,
  aLine,
  aMug,
  anOrder,
  aRule,
  aSnapshot,
  LAB,
  NOW,
  onePrintAtStudio,
  PLACED_AT,
  PROFILES,
  SETTINGS,
  STUDIO,
} from "./testing.fixtures";

const isPrint: Condition = { field: "product_type", operator: "equals", value: "Print" };

describe("dry run", () => {
  test("is the plan the engine would make, flagged so nothing executes it", () => {
    const rules = [aRule({ name: "Review", actions: [{ type: "hold_for_review" }] }, [isPrint])];
    const dry = dryRun(onePrintAtStudio(), rules, SETTINGS, PROFILES, { now: NOW });
    const real = plan(onePrintAtStudio(), rules, SETTINGS, PROFILES, { now: NOW });
    expect(dry.dryRun).toBe(true);
    expect(real.dryRun).toBe(false);
    expect({ ...dry, dryRun: false }).toEqual(real);
  });

  test("judges a past order as it stood when it was placed, unless told otherwise", () => {
    const rules = [
      aRule(
        { name: "Wait", actions: [{ type: "hold", reason: "OTHER", releaseAfterMinutes: 60 }] },
        [],
      ),
    ];
    const then = dryRun(onePrintAtStudio(), rules, SETTINGS, PROFILES);
    expect(then.plannedAt).toBe(PLACED_AT);
    expect(then.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderHold"]);
    const later = dryRun(onePrintAtStudio(), rules, SETTINGS, PROFILES, {
      now: "2025-03-02T00:00:00.000Z",
    });
    expect(later.steps).toEqual([]);
  });
});

describe("what a rule change would change", () => {
  const ship = aRule({ id: "ship", name: "Ship", actions: [{ type: "fulfil_automatically" }] }, [
    isPrint,
  ]);
  const review = aRule({ id: "review", name: "Review", actions: [{ type: "hold_for_review" }] }, [
    isPrint,
  ]);

  test("steps that would start and stop happening, in the merchant's words", () => {
    const diff = diffPlans(
      dryRun(onePrintAtStudio(), [ship], SETTINGS, PROFILES),
      dryRun(onePrintAtStudio(), [review], SETTINGS, PROFILES),
    );
    expect(diff.changed).toBe(true);
    expect(diff.added.map((s) => s.kind)).toEqual(["fulfillmentOrderHold"]);
    expect(diff.removed.map((s) => s.kind)).toEqual(["fulfillmentCreate"]);
    expect(diff.summary).toEqual([
      engineSaid("dryRun.wouldNow", {
        step: engineSaid("step.holdForReview", { location: "Studio" }),
        why: engineSaid("why.rule", { rule: "Review", what: words("action.hold_for_review") }),
      }),
      engineSaid("dryRun.wouldNoLonger", {
        step: engineSaid("step.fulfill", {
          count: 1,
          location: "Studio",
          notify: engineSaid("step.notified"),
        }),
        why: engineSaid("why.rule", { rule: "Ship", what: words("action.fulfil_automatically") }),
      }),
    ]);
    expect(diff.matchedRulesChanged).toEqual([
      {
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1",
        before: ["ship"],
        after: ["review"],
      },
    ]);
  });

  test("the same change for another reason is the same step with a new reason", () => {
    const shipToo = { ...ship, id: "ship-too", name: "Ship too" } satisfies Rule;
    const diff = diffPlans(
      dryRun(onePrintAtStudio(), [ship], SETTINGS, PROFILES),
      dryRun(onePrintAtStudio(), [shipToo], SETTINGS, PROFILES),
    );
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.summary).toEqual([
      engineSaid("dryRun.newReason", {
        step: engineSaid("step.fulfill", {
          count: 1,
          location: "Studio",
          notify: engineSaid("step.notified"),
        }),
        was: engineSaid("why.rule", { rule: "Ship", what: words("action.fulfil_automatically") }),
        why: engineSaid("why.rule", {
          rule: "Ship too",
          what: words("action.fulfil_automatically"),
        }),
      }),
    ]);
  });

  test("no difference is no change", () => {
    const diff = diffPlans(
      dryRun(onePrintAtStudio(), [ship], SETTINGS, PROFILES),
      dryRun(onePrintAtStudio(), [ship], SETTINGS, PROFILES),
    );
    expect(diff).toMatchObject({ changed: false, summary: [], added: [], removed: [] });
    expect(diff.unchanged).toHaveLength(1);
  });

  test("new and resolved reasons for attention are listed", () => {
    const gone = aRule(
      {
        id: "gone",
        name: "Gone",
        actions: [{ type: "move", locationId: "gid://shopify/Location/99" }],
      },
      [isPrint],
    );
    const diff = diffPlans(
      dryRun(onePrintAtStudio(), [gone], SETTINGS, PROFILES),
      dryRun(onePrintAtStudio(), [], SETTINGS, PROFILES),
    );
    expect(diff.attentionRemoved.map((r) => r.code)).toEqual(["location_not_found"]);
    expect(diff.summary).toEqual([
      engineSaid("dryRun.wouldNoLongerNeedAttention", {
        reason: engineSaid("attention.locationGone", { rule: "Gone", location: "Studio" }),
      }),
    ]);
  });

  test("other rules matching with the same effect is a change worth showing", () => {
    const tagA = aRule({ id: "a", name: "A", actions: [{ type: "add_order_tags", tags: ["x"] }] }, [
      isPrint,
    ]);
    const tagB = aRule(
      { id: "b", name: "B", actions: [{ type: "add_order_tags", tags: ["x"] }] },
      [],
    );
    const snapshot = onePrintAtStudio(anOrder({ tags: ["x"] }));
    const diff = diffPlans(
      dryRun(snapshot, [tagA], SETTINGS, PROFILES),
      dryRun(snapshot, [tagB], SETTINGS, PROFILES),
    );
    expect(diff.changed).toBe(true);
    expect(diff.summary).toEqual([engineSaid("dryRun.sameChanges")]);
  });

  test("previewing a rule set against recent orders counts the orders it would handle differently", () => {
    const mugOnly = (() => {
      const mug = aMug(1);
      return aSnapshot({
        lineItems: [mug],
        fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [mug])],
      });
    })();
    const labPrint = (() => {
      const print = aLine(1);
      return aSnapshot({
        order: anOrder({ id: "gid://shopify/Order/1002", name: "#1002" }),
        lineItems: [print],
        fulfillmentOrders: [aFulfillmentOrder(1, LAB, [print])],
      });
    })();
    const preview = previewRuleChange(
      [onePrintAtStudio(), mugOnly, labPrint],
      [ship],
      [review],
      SETTINGS,
      PROFILES,
    );
    expect(preview.changedOrders).toBe(2);
    expect(preview.orders.map((o) => [o.orderName, o.changed])).toEqual([
      ["#1001", true],
      ["#1001", false],
      ["#1002", true],
    ]);
  });
});
