import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { engineSaid, type StoredWords } from "./words";
import { quoted } from "./plan-builder";
import {
  capabilityGaps,
  canProduce,
  chooseLocation,
  gapWords,
  normaliseLine,
  noLocationWords,
  profilesInPreferenceOrder,
  type CapabilityProfile,
} from "./capability";
import { plan } from "./plan";
import { lineItemArb, profilesArb, snapshotArb } from "./testing.arbitraries";
import { buildOrderView } from "./views";
import type { Rule } from "./rules";
import {
  aMetallicPrint,
  aDownload,
  aFulfillmentOrder,
  aLine,
  aMug,
  aRule,
  aSnapshot,
  LAB,
  LAB_PROFILE,
  NOW,
  PARTNER,
  PARTNER_PROFILE,
  PROFILES,
  SETTINGS,
  STUDIO,
  STUDIO_PROFILE,
  WAREHOUSE,
} from "./testing.fixtures";
import { MODEL_READINGS, applyPlan } from "./testing.shopify-model";

describe("a location can produce a line only at a 100 % match", () => {
  test("listed product type and every option value covered", () => {
    expect(canProduce(STUDIO_PROFILE, aLine(1))).toBe(true);
  });

  test("an unlisted product type", () => {
    expect(capabilityGaps(STUDIO_PROFILE, aMug(1))).toEqual([
      { kind: "product_type", productType: "Mug" },
      { kind: "unknown_option", optionName: "Color", value: "White" },
    ]);
  });

  test("one option value the location cannot do is enough to say no", () => {
    const metallic = aLine(1, {
      variantOptions: [
        { name: "Paper", value: "Metallic" },
        { name: "Size", value: "10x15" },
      ],
    });
    expect(capabilityGaps(STUDIO_PROFILE, metallic)).toEqual([
      { kind: "option_value", optionName: "Paper", value: "Metallic" },
    ]);
  });

  test("an option the profile does not know at all is not covered", () => {
    const framed = aLine(1, {
      variantOptions: [...aLine(1).variantOptions, { name: "Frame", value: "Oak" }],
    });
    expect(canProduce(STUDIO_PROFILE, framed)).toBe(false);
    expect(capabilityGaps(STUDIO_PROFILE, framed)).toEqual([
      { kind: "unknown_option", optionName: "Frame", value: "Oak" },
    ]);
  });

  test("names and values compare without regard to case or spaces", () => {
    const shouting = aLine(1, {
      productType: " PRINT",
      variantOptions: [{ name: "paper", value: "LUSTRE " }],
    });
    expect(canProduce(STUDIO_PROFILE, shouting)).toBe(true);
  });

  test("a product without variants (Title: Default Title) needs no options", () => {
    const plain = aLine(1, { variantOptions: [{ name: "Title", value: "Default Title" }] });
    expect(canProduce({ ...STUDIO_PROFILE, options: {} }, plain)).toBe(true);
  });

  test("an empty profile produces nothing", () => {
    expect(canProduce({ ...STUDIO_PROFILE, productTypes: [], options: {} }, aLine(1))).toBe(false);
  });
});

describe("choosing a location", () => {
  test("in-house first, then partners, each in the merchant's order", () => {
    const partnerFirst: CapabilityProfile[] = [PARTNER_PROFILE, LAB_PROFILE, STUDIO_PROFILE];
    expect(profilesInPreferenceOrder(partnerFirst).map((p) => p.name)).toEqual([
      "Studio",
      "Print Partner",
      "WHCC Lab",
    ]);
    expect(chooseLocation(aLine(1), partnerFirst)).toEqual({ profile: STUDIO_PROFILE });
    const metallic = aLine(1, { variantOptions: [{ name: "Paper", value: "Metallic" }] });
    expect(chooseLocation(metallic, partnerFirst)).toEqual({ profile: LAB_PROFILE });
  });

  test("a profile whose location is gone is passed over, and says so", () => {
    const choice = chooseLocation(aLine(1), [STUDIO_PROFILE], () => false);
    expect(choice.profile).toBeNull();
    expect(noLocationWords("gaps" in choice ? choice.gaps : [])).toEqual(
      engineSaid("capability.noLocation", {
        reasons: engineSaid("capability.profile", {
          profile: "Studio",
          gaps: engineSaid("capability.locationMissing"),
        }),
      }),
    );
  });

  test("when nobody can, every location's reason is given", () => {
    const choice = chooseLocation(
      aMug(1, { variantOptions: [{ name: "Color", value: "Red" }] }),
      PROFILES,
    );
    // Said in English and German in app/i18n/engine-words.test.ts; here: which gaps, in order.
    const gaps = "gaps" in choice ? choice.gaps : [];
    expect(gaps.map((g) => [g.profile.name, g.gaps.map((gap) => gapWords(gap).key)])).toEqual([
      ["Studio", ["engine.capability.productType", "engine.capability.unknownOption"]],
      ["WHCC Lab", ["engine.capability.productType", "engine.capability.unknownOption"]],
      ["Print Partner", ["engine.capability.optionValue"]],
    ]);
    expect(noLocationWords([])).toEqual(engineSaid("capability.noProfiles"));
  });
});

describe("routing by capability", () => {
  const byCapability: Rule = aRule({
    name: "Production",
    actions: [{ type: "split", by: "capability" }],
  });

  test("a fulfillment order the studio can make stays where it is", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [print])],
    });
    const result = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW });
    expect(result.steps).toEqual([]);
    expect(result.explanation.map((e) => e.text)).toContainEqual(
      engineSaid("explain.everyLineCapable", { location: "Studio" }),
    );
  });

  test("a whole fulfillment order nobody in-house can make moves to the first partner that can", () => {
    const metallic = aMetallicPrint(1);
    const snapshot = aSnapshot({
      lineItems: [metallic],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [metallic])],
    });
    const result = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW });
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({
      kind: "fulfillmentOrderMove",
      input: { id: snapshot.fulfillmentOrders[0]?.id, newLocationId: LAB.id },
      summary: engineSaid("step.move", { from: "Studio", to: "WHCC Lab" }),
      why: {
        text: engineSaid("why.rule", {
          rule: "Production",
          what: engineSaid("why.splitByCapability", { location: "WHCC Lab", count: 1 }),
        }),
      },
    });
    expect(result.replanAfterApply).toBe(true);
  });

  test.each(MODEL_READINGS)(
    "a mixed fulfillment order sends each destination's lines there in one move, the rest stay (Shopify's readings of a move of some lines: %o)",
    (readings) => {
      const lustre = aLine(1);
      const mug = aMug(2);
      const metallic = aMetallicPrint(3);
      const snapshot = aSnapshot({
        lineItems: [lustre, mug, metallic],
        fulfillmentOrders: [aFulfillmentOrder(1, WAREHOUSE, [lustre, mug, metallic])],
      });

      // Round 1: one change only (Shopify may answer with new ids): the in-house line goes first,
      // moved on its own with fulfillmentOrderMove's line items (ADR 030), not split off and moved.
      const first = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW });
      expect(first.steps.map((s) => [s.kind, s.input, s.summary, s.why.text])).toEqual([
        [
          "fulfillmentOrderMove",
          {
            id: "gid://shopify/FulfillmentOrder/1",
            newLocationId: STUDIO.id,
            fulfillmentOrderLineItems: [
              { id: "gid://shopify/FulfillmentOrderLineItem/101", quantity: 1 },
            ],
          },
          engineSaid("step.moveLines", {
            count: 1,
            from: "Warehouse",
            to: "Studio",
            lines: [quoted("10x15 Lustre")],
          }),
          engineSaid("why.rule", {
            rule: "Production",
            what: engineSaid("why.splitByCapability", { location: "Studio", count: 1 }),
          }),
        ],
      ]);

      // Then the next destination's lines, and the last moves whole, until every line sits at the
      // first location that can make it: three moves where a split and a move each took five.
      let current = applyPlan(snapshot, first, readings);
      const summaries: StoredWords[] = [];
      for (let round = 0; round < 6; round++) {
        const next = plan(current, [byCapability], SETTINGS, PROFILES, { now: NOW });
        if (next.steps.length === 0) break;
        summaries.push(...next.steps.map((s) => s.summary));
        current = applyPlan(current, next, readings);
      }
      expect(summaries).toEqual([
        engineSaid("step.moveLines", {
          count: 1,
          from: "Warehouse",
          to: "WHCC Lab",
          lines: [quoted("20x30 Metallic")],
        }),
        engineSaid("step.move", { from: "Warehouse", to: "Print Partner" }),
      ]);
      const placed = current.fulfillmentOrders
        .filter((fo) => fo.status !== "CLOSED")
        .map((fo) => [fo.assignedLocation.name, fo.lineItems.map((l) => l.lineItemId)]);
      expect(placed).toHaveLength(3);
      expect(placed).toEqual(
        expect.arrayContaining([
          ["Print Partner", [mug.id]],
          ["Studio", [lustre.id]],
          ["WHCC Lab", [metallic.id]],
        ]),
      );
    },
  );

  test("a line nobody can make needs attention, and its fulfillment order is not sent anywhere", () => {
    const canvas = aLine(1, {
      title: "Canvas 60x90",
      productType: "Canvas",
      variantOptions: [{ name: "Size", value: "60x90" }],
    });
    const snapshot = aSnapshot({
      lineItems: [canvas],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [canvas])],
    });
    const result = plan(
      snapshot,
      [byCapability],
      { ...SETTINGS, defaultMode: "automatic" },
      PROFILES,
      { now: NOW },
    );
    expect(result.steps).toEqual([]);
    expect(result.needsAttention).toEqual([
      {
        code: "no_capable_location",
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1",
        lineItemId: canvas.id,
        ruleId: byCapability.id,
        message: engineSaid("attention.noCapableLocation", {
          line: engineSaid("line.withSku", { title: "Canvas 60x90", sku: "PRINT-10x15-L" }),
          why: expect.objectContaining({ key: "engine.capability.noLocation" }),
        }),
      },
    ]);
    expect(result.fulfillmentOrders[0]?.outcome).toBe("needs_attention");
  });

  test("downloads are not produced anywhere and stay put", () => {
    const download = aDownload(1);
    const metallic = aLine(2, { variantOptions: [{ name: "Paper", value: "Metallic" }] });
    const snapshot = aSnapshot({
      lineItems: [download, metallic],
      fulfillmentOrders: [aFulfillmentOrder(1, STUDIO, [download, metallic])],
    });
    const result = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW });
    expect(result.needsAttention).toEqual([]);
    expect(result.steps.map((s) => s.summary)).toEqual([
      engineSaid("step.moveLines", {
        count: 1,
        from: "Studio",
        to: "WHCC Lab",
        lines: [quoted("10x15 Lustre")],
      }),
    ]);
  });

  test("a profile pointing at a location the shop no longer has is skipped", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [aFulfillmentOrder(1, WAREHOUSE, [print])],
      locations: [WAREHOUSE, LAB, PARTNER],
    });
    const result = plan(snapshot, [byCapability], SETTINGS, PROFILES, { now: NOW });
    expect(result.steps[0]).toMatchObject({
      kind: "fulfillmentOrderMove",
      input: { newLocationId: LAB.id },
    });
  });
});

describe("choosing a location agrees with the reasons", () => {
  test("the chosen location is the first, in preference order, with no gap; none is chosen only when every location has one", () => {
    fc.assert(
      fc.property(lineItemArb(1), profilesArb, fc.boolean(), (line, profiles, missingFirst) => {
        const gone = missingFirst ? profiles[0]?.locationId : undefined;
        const exists = (id: string) => id !== gone;
        const first = profilesInPreferenceOrder(profiles).find(
          (p) => exists(p.locationId) && capabilityGaps(p, line).length === 0,
        );
        const choice = chooseLocation(line, profiles, exists);
        expect(choice.profile).toBe(first ?? null);
        for (const profile of profiles)
          expect(canProduce(profile, line)).toBe(capabilityGaps(profile, line).length === 0);
      }),
      { numRuns: 500 },
    );
  });
});

test("a line view's product type and options are the line normalised as profiles read it", () => {
  fc.assert(
    fc.property(snapshotArb, (snapshot) => {
      for (const fo of buildOrderView(snapshot).fulfillmentOrders)
        for (const line of fo.lines)
          expect({ productType: line.productType, options: line.optionList }).toEqual(
            normaliseLine(line.item),
          );
    }),
    { numRuns: 300 },
  );
});
