// The plan made against what Shopify allows (ADR 094): moves go only where locationsForMove lets the
// work go, falling to the next capable location or to the merchant with Shopify's words, and merges
// only among what fulfillmentOrdersForMerge lists.
import { describe, expect, test } from "vitest";
import type { CapabilityProfile } from "./capability";
import { lineWords, quoted } from "./plan-builder";
import { plan, type MoveAllowed, type Plan, type PlanOptions } from "./plan";
import type { Action, Rule } from "./rules";
import type { OrderSnapshot } from "./snapshot";
import { buildOrderView } from "./views";
import { engineSaid } from "./words";
import {
  aFulfillmentOrder,
  aLine,
  aMetallicPrint,
  aMug,
  aRule,
  aSnapshot,
  foGid,
  LAB,
  LAB_PROFILE,
  NOW,
  onePrintAtStudio,
  SETTINGS,
  STUDIO,
  STUDIO_PROFILE,
  WAREHOUSE,
} from "./testing.fixtures";

const NOT_STOCKED = "No items are stocked at this location.";
const FO_LINE = "gid://shopify/FulfillmentOrderLineItem/101";

/** A second partner that makes metallic prints, listed after the WHCC Lab. */
const WAREHOUSE_PROFILE: CapabilityProfile = {
  ...LAB_PROFILE,
  locationId: WAREHOUSE.id,
  name: WAREHOUSE.name,
};
const PROFILES = [STUDIO_PROFILE, LAB_PROFILE, WAREHOUSE_PROFILE];

const run = (snapshot: OrderSnapshot, rules: Rule[], options: Partial<PlanOptions> = {}): Plan =>
  plan(snapshot, rules, SETTINGS, PROFILES, { now: NOW, ...options });

const allows = (locationId: string): MoveAllowed => ({
  locationId,
  movable: true,
  message: null,
  movableLines: [FO_LINE],
});
const refuses = (locationId: string, message: string | null = NOT_STOCKED): MoveAllowed => ({
  locationId,
  movable: false,
  message,
  movableLines: [],
});

/** A metallic print Shopify sent to the Studio, which makes no metallic. */
const metallicAtStudio = () => {
  const print = aMetallicPrint(1);
  return aSnapshot({
    lineItems: [print],
    fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print])],
  });
};
const byCapability = aRule(
  { name: "Production", actions: [{ type: "split", by: "capability" }] as Action[] },
  [],
);
const printLine = () =>
  lineWords(buildOrderView(metallicAtStudio()).fulfillmentOrders[0]!.lines[0]!);

describe("a move by capability Shopify would refuse", () => {
  test("not asked yet: planned as the rules want (the router asks before applying it)", () => {
    const result = run(metallicAtStudio(), [byCapability]);
    expect(result.steps.map((s) => [s.kind, s.input])).toEqual([
      ["fulfillmentOrderMove", { id: foGid(1), newLocationId: LAB.id }],
    ]);
  });

  test("goes to the next capable location Shopify allows, and the trace says what Shopify said", () => {
    const shopify = { moves: { [foGid(1)]: [refuses(LAB.id), allows(WAREHOUSE.id)] } };
    const result = run(metallicAtStudio(), [byCapability], { shopify });
    expect(result.steps.map((s) => [s.kind, s.input])).toEqual([
      ["fulfillmentOrderMove", { id: foGid(1), newLocationId: WAREHOUSE.id }],
    ]);
    const said = result.explanation.map((e) => e.text);
    expect(said).toContainEqual(
      engineSaid("explain.moveRefusedByShopify", {
        line: quoted("20x30 Metallic"),
        to: "WHCC Lab",
        shopify: NOT_STOCKED,
        instead: WAREHOUSE.name,
      }),
    );
    expect(said).toContainEqual(engineSaid("explain.moveAllowedByShopify", { to: WAREHOUSE.name }));
    expect(result.needsAttention).toEqual([]);
  });

  test("none left: nothing is moved or sent, and it waits for the merchant with Shopify's words", () => {
    const shopify = { moves: { [foGid(1)]: [refuses(LAB.id), refuses(WAREHOUSE.id)] } };
    const automatic = { ...SETTINGS, defaultMode: "automatic" as const };
    const result = plan(metallicAtStudio(), [byCapability], automatic, PROFILES, {
      now: NOW,
      shopify,
    });
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((a) => [a.code, a.message])).toEqual([
      [
        "not_allowed_by_shopify",
        engineSaid("attention.noLocationShopifyAllows", {
          line: printLine(),
          to: "WHCC Lab",
          shopify: NOT_STOCKED,
        }),
      ],
    ]);
    expect(result.fulfillmentOrders).toMatchObject([{ outcome: "needs_attention" }]);
  });

  test("a location Shopify does not list at all is refused in the catalogue's words", () => {
    const shopify = { moves: { [foGid(1)]: [refuses(LAB.id, null), refuses(WAREHOUSE.id, null)] } };
    const result = run(metallicAtStudio(), [byCapability], { shopify });
    expect(result.needsAttention[0]?.message).toEqual(
      engineSaid("attention.noLocationShopifyAllows", {
        line: printLine(),
        to: "WHCC Lab",
        shopify: engineSaid("explain.shopifyNotListed"),
      }),
    );
  });
});

describe("a rule's move Shopify would refuse", () => {
  const toLab = aRule({
    name: "Lab prints",
    actions: [{ type: "move", locationId: LAB.id }, { type: "submit_fulfilment_request" }],
  });

  test("is not sent: it waits at the Studio for the merchant, with Shopify's words", () => {
    const shopify = { moves: { [foGid(1)]: [refuses(LAB.id)] } };
    const result = run(onePrintAtStudio(), [toLab], { shopify });
    expect(result.steps).toEqual([]);
    expect(result.needsAttention.map((a) => [a.code, a.message])).toEqual([
      [
        "not_allowed_by_shopify",
        engineSaid("attention.moveRefusedByShopify", {
          location: "Studio",
          to: "WHCC Lab",
          shopify: NOT_STOCKED,
        }),
      ],
    ]);
  });

  test("allowed: moved, and the trace says Shopify allows it", () => {
    const shopify = { moves: { [foGid(1)]: [allows(LAB.id)] } };
    const result = run(onePrintAtStudio(), [toLab], { shopify });
    expect(result.steps.map((s) => s.kind)).toEqual(["fulfillmentOrderMove"]);
    expect(result.explanation.map((e) => e.text)).toContainEqual(
      engineSaid("explain.moveAllowedByShopify", { to: "WHCC Lab" }),
    );
  });
});

describe("merges built from what fulfillmentOrdersForMerge lists", () => {
  const threeAtStudio = () => {
    const lines = [aLine(1), aMug(2), aLine(3, { title: "Download", requiresShipping: false })];
    return aSnapshot({
      lineItems: lines,
      fulfillmentOrders: lines.map((line, i) => aFulfillmentOrder(i + 1, STUDIO, [line])),
    });
  };
  const merge = aRule({ name: "One parcel", actions: [{ type: "merge" }] }, []);
  const merges = (result: Plan) =>
    result.steps
      .filter((s) => s.kind === "fulfillmentOrderMerge")
      .map((s) =>
        s.kind === "fulfillmentOrderMerge"
          ? s.input.fulfillmentOrderMergeInputs.map((m) =>
              m.mergeIntents.map((i) => i.fulfillmentOrderId),
            )
          : [],
      );

  test("not asked yet: every fulfillment order the rules merge at the location, in one", () => {
    expect(merges(run(threeAtStudio(), [merge]))).toEqual([[[foGid(1), foGid(2), foGid(3)]]]);
  });

  test("only those Shopify lists for each other are merged; the one it lists with none stays and says so", () => {
    const shopify = {
      merges: { [foGid(1)]: [foGid(2)], [foGid(2)]: [foGid(1)], [foGid(3)]: [] },
    };
    const result = run(threeAtStudio(), [merge], { shopify });
    expect(merges(result)).toEqual([[[foGid(1), foGid(2)]]]);
    expect(
      result.explanation.filter((e) => e.fulfillmentOrderId === foGid(3)).map((e) => e.text),
    ).toContainEqual(engineSaid("explain.mergeNotListedByShopify", { location: "Studio" }));
  });

  test("Shopify lists none: no merge is planned", () => {
    const shopify = { merges: { [foGid(1)]: [], [foGid(2)]: [], [foGid(3)]: [] } };
    expect(merges(run(threeAtStudio(), [merge], { shopify }))).toEqual([]);
  });
});
