// Stuck requests, drift between a lab and Shopify, and the Steps of a repair, on plain snapshots.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MONITOR_SETTINGS,
  detectDrift,
  detectStuck,
  planRepair,
  reportFromShopify,
  rerouteOptions,
  type LocationForMove,
  type RepairState,
} from "./drift";
import {
  LAB,
  LOCATIONS,
  PARTNER,
  STUDIO,
  WAREHOUSE,
  aDriftLine,
  aFulfillmentOrder,
  aLabReport,
  aLine,
  aScannedFulfillmentOrder,
  aSnapshot,
  foGid,
  lineGid,
} from "./testing.fixtures";
import type { StepWhy } from "./steps";
import type { CapabilityProfile } from "./capability";

const NOW = new Date("2025-03-03T12:00:00.000Z");
const WHY: StepWhy = { source: "reconcile", ruleId: null, ruleName: null, text: "Repair" };

function repair(overrides: Partial<RepairState>): RepairState {
  return {
    lineItemIds: [lineGid(1)],
    to: { locationId: STUDIO.id, name: STUDIO.name, fulfillmentServiceHandle: null },
    then: "leave",
    cancellationRequested: [],
    notifyCustomer: false,
    ...overrides,
  };
}

describe("stuck requests", () => {
  it("flags a request not accepted after the hours set, with its age and lab, and not before", () => {
    const fresh = aScannedFulfillmentOrder({ id: foGid(2), updatedAt: "2025-03-03T01:00:00.000Z" });
    const findings = detectStuck(
      [aScannedFulfillmentOrder({}), fresh],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: "request_not_accepted",
      labName: "WHCC Lab",
      // Words, not text: each screen says them in its merchant's language.
      summary: {
        key: "findings.summary.request_not_accepted",
        params: {
          lab: "WHCC Lab",
          order: "#1001",
          age: { key: "findings.age.days", params: { count: 2 } },
        },
      },
    });
    // Re-routing goes to another lab before the merchant's own location.
    expect(findings[0]!.repair).toMatchObject({ to: { name: "Print Partner" }, then: "request" });
  });

  it("never offers again a lab the order's work was repaired away from: the next location instead, or none with why", () => {
    // The merchant re-routed the order's print from WHCC Lab to Print Partner, which stands still too.
    const atPartner = aScannedFulfillmentOrder({
      locationId: PARTNER.id,
      locationName: PARTNER.name,
      serviceName: PARTNER.name,
      requestStatus: "REJECTED",
    });
    const awayFrom = new Map([[atPartner.orderId, [LAB.id]]]);
    const [finding] = detectStuck(
      [atPartner],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
      [],
      awayFrom,
    );
    // Before: "another lab first", WHCC Lab again.
    expect(finding!.repair).toMatchObject({
      to: { locationId: STUDIO.id },
      then: "leave",
      awayFrom: [
        { locationId: PARTNER.id, name: "Print Partner" },
        { locationId: LAB.id, name: "WHCC Lab" },
      ],
    });
    // Only WHCC Lab's profile makes it: no default, and the advice says why.
    const onlyTheLab: CapabilityProfile = {
      locationId: LAB.id,
      name: LAB.name,
      kind: "partner",
      productTypes: ["Print"],
      options: {},
    };
    const [none] = detectStuck(
      [
        {
          ...atPartner,
          producing: [{ productType: "Print", variantOptions: [], requiresShipping: true }],
        },
      ],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
      [onlyTheLab],
      awayFrom,
    );
    expect(none!.repair).toBeNull();
    expect(none!.advice).toEqual({
      key: "findings.advice.both",
      params: {
        first: { key: "findings.advice.noOtherProfile" },
        then: { key: "findings.advice.repairedAwayFrom", params: { locations: "WHCC Lab" } },
      },
    });
  });

  it("flags a pending cancellation, a rejection nothing followed and a lab that gave up", () => {
    const findings = detectStuck(
      [
        aScannedFulfillmentOrder({
          id: foGid(1),
          requestStatus: "CANCELLATION_REQUESTED",
          status: "IN_PROGRESS",
        }),
        aScannedFulfillmentOrder({
          id: foGid(2),
          requestStatus: "REJECTED",
          updatedAt: "2025-03-03T11:30:00.000Z",
        }),
        aScannedFulfillmentOrder({ id: foGid(3), requestStatus: "CLOSED", status: "INCOMPLETE" }),
        aScannedFulfillmentOrder({
          id: foGid(4),
          requestStatus: "ACCEPTED",
          status: "IN_PROGRESS",
        }),
        aScannedFulfillmentOrder({
          id: foGid(5),
          serviceName: null,
          locationId: STUDIO.id,
          status: "OPEN",
        }),
      ],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
    );
    expect(findings.map((f) => f.kind)).toEqual([
      "cancellation_pending",
      "rejected_no_fallback",
      "failed_to_complete",
    ]);
  });
});

describe("a stuck request's default re-route follows the capability profiles", () => {
  // The work stuck at WHCC Lab is a canvas, 40x60 gallery wrap.
  const canvas = {
    productType: "Canvas",
    variantOptions: [
      { name: "Size", value: "40x60" },
      { name: "Finish", value: "Gallery Wrap" },
    ],
    requiresShipping: true,
  };
  const profile = (
    at: { id: string; name: string },
    kind: CapabilityProfile["kind"],
    productTypes: string[],
    options: Record<string, string[]> = {},
  ): CapabilityProfile => ({ locationId: at.id, name: at.name, kind, productTypes, options });
  const canvasOptions = { Size: ["40x60", "60x90"], Finish: ["Gallery Wrap"] };
  const stuckCanvas = (overrides = {}) =>
    aScannedFulfillmentOrder({ producing: [canvas], ...overrides });
  const stuck = (profiles: CapabilityProfile[], overrides = {}) =>
    detectStuck([stuckCanvas(overrides)], LOCATIONS, DEFAULT_MONITOR_SETTINGS, NOW, profiles);

  it("goes to the first location, in-house before partners, that can make every line, never back to the stuck lab", () => {
    // Listed as the Capabilities screen lists them: the stuck lab first.
    const profiles = [
      profile(LAB, "partner", ["Canvas"], canvasOptions),
      profile(PARTNER, "partner", ["Print"], { Paper: ["Lustre"] }),
      profile(STUDIO, "in_house", ["Print"], { Paper: ["Lustre"], Size: ["10x15"] }),
      profile(WAREHOUSE, "in_house", ["Canvas"], canvasOptions),
    ];
    const [finding] = stuck(profiles);
    // Before: "another lab first", Print Partner, which makes no canvas.
    expect(finding!.repair).toMatchObject({
      to: { locationId: WAREHOUSE.id, name: "Warehouse", fulfillmentServiceHandle: null },
      then: "leave",
    });
    expect(finding!.advice).toBeNull();

    // Only a partner can make it besides the stuck lab: the work is asked of it.
    const partnerOnly = [
      profile(STUDIO, "in_house", ["Print"]),
      profile(LAB, "partner", ["Canvas"], canvasOptions),
      profile(PARTNER, "partner", ["Canvas"], canvasOptions),
    ];
    expect(stuck(partnerOnly)[0]!.repair).toMatchObject({
      to: { locationId: PARTNER.id },
      then: "request",
    });
  });

  it("never offers an in-house location that cannot make an option of the line", () => {
    // No other lab: the Studio makes canvas but not the 100x150 size; the Warehouse makes it.
    const big = { ...canvas, variantOptions: [{ name: "Size", value: "100x150" }] };
    const profiles = [
      profile(STUDIO, "in_house", ["Canvas"], { Size: ["40x60"] }),
      profile(WAREHOUSE, "in_house", ["Canvas"], { Size: ["100x150"] }),
    ];
    const [finding] = detectStuck(
      [stuckCanvas({ producing: [big] })],
      [STUDIO, LAB, WAREHOUSE],
      DEFAULT_MONITOR_SETTINGS,
      NOW,
      profiles,
    );
    // Before: the merchant's first own location, the Studio.
    expect(finding!.repair).toMatchObject({ to: { locationId: WAREHOUSE.id }, then: "leave" });
  });

  it("offers no default when no other location can make every line, and says why in the merchant's words", () => {
    const profiles = [
      profile(STUDIO, "in_house", ["Print"], canvasOptions),
      profile(LAB, "partner", ["Canvas"], canvasOptions),
      profile(PARTNER, "partner", ["Canvas"], { Size: ["60x90"], Finish: ["Gallery Wrap"] }),
    ];
    const [finding] = stuck(profiles);
    expect(finding!.repair).toBeNull();
    expect(finding!.advice).toEqual({
      key: "findings.advice.noCapableLocation",
      params: {
        reasons: {
          key: "engine.capability.then",
          params: {
            first: {
              key: "engine.capability.profile",
              params: {
                profile: "Studio",
                gaps: {
                  key: "engine.capability.productType",
                  params: { productType: "Canvas" },
                },
              },
            },
            rest: {
              key: "engine.capability.profile",
              params: {
                profile: "Print Partner",
                gaps: {
                  key: "engine.capability.optionValue",
                  params: { option: "Size", value: "40x60" },
                },
              },
            },
          },
        },
      },
    });
    // A finding that advises anyway says both; only the stuck lab has a profile: said so.
    const [pending] = stuck([profile(LAB, "partner", ["Canvas"], canvasOptions)], {
      requestStatus: "CANCELLATION_REQUESTED",
      status: "IN_PROGRESS",
    });
    expect(pending).toMatchObject({
      kind: "cancellation_pending",
      repair: null,
      advice: {
        key: "findings.advice.both",
        params: {
          first: { key: "findings.advice.mayStillShip" },
          then: { key: "findings.advice.noOtherProfile" },
        },
      },
    });
  });

  it("keeps lab first, then the merchant's own location, in a shop without profiles", () => {
    expect(stuck([])[0]!.repair).toMatchObject({ to: { locationId: PARTNER.id } });
  });
});

describe("a cancellation the lab rejected", () => {
  const refused = (supportedActions?: string[]) =>
    detectStuck(
      [
        aScannedFulfillmentOrder({
          requestStatus: "CANCELLATION_REJECTED",
          status: "IN_PROGRESS",
          updatedAt: "2025-03-03T11:30:00.000Z",
          ...(supportedActions ? { supportedActions } : {}),
        }),
      ],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
    );

  it("is stuck at once, with advice to contact the lab and no repair Shopify does not offer", () => {
    const [finding, ...more] = refused(["CREATE_FULFILLMENT"]);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      kind: "cancellation_rejected",
      category: "stuck",
      repair: null,
      advice: { key: "findings.advice.contactLab" },
    });
    expect(refused()[0]).toMatchObject({ repair: null });
  });

  it("offers a re-route (another cancellation request first) only where Shopify allows REQUEST_CANCELLATION", () => {
    const [finding] = refused(["REQUEST_CANCELLATION"]);
    expect(finding).toMatchObject({
      kind: "cancellation_rejected",
      repair: { to: { name: "Print Partner" }, then: "request" },
      advice: { key: "findings.advice.contactLabOrAskAgain" },
    });
  });
});

describe("drift", () => {
  it("shipped at the lab, unfulfilled on Shopify: fulfil at the merchant's location with the lab's tracking", () => {
    const [finding] = detectDrift(
      [
        {
          report: aLabReport({}),
          shopify: { fulfillmentOrder: aScannedFulfillmentOrder({}), lines: [aDriftLine(0, 2)] },
        },
      ],
      LOCATIONS,
      NOW,
    );
    expect(finding).toMatchObject({
      kind: "shipped_not_fulfilled",
      summary: {
        key: "findings.summary.shipped_not_fulfilled",
        params: { lab: "WHCC Lab", order: "#1001" },
      },
      evidence: {
        lab: [
          {
            key: "findings.evidence.labShipped",
            params: {
              said: { key: "findings.evidence.recordedFrom", params: { lab: "WHCC Lab" } },
              lines: "2 × 10x15 Lustre",
              tracking: { key: "findings.tracking.some", params: { tracking: "DHL 00340434" } },
            },
          },
        ],
        shopify: [
          {
            key: "findings.evidence.lineCounts",
            params: { title: "10x15 Lustre", fulfilled: 0, unfulfilled: 2 },
          },
        ],
      },
      repair: { to: { name: "Studio" }, then: "fulfil", fulfilledTarget: [{ quantity: 2 }] },
    });
  });

  it("quantities that disagree, fulfilled on Shopify while the lab works, and work Shopify moved away", () => {
    const findings = detectDrift(
      [
        {
          report: aLabReport({}),
          shopify: { fulfillmentOrder: aScannedFulfillmentOrder({}), lines: [aDriftLine(1, 1)] },
        },
        {
          report: aLabReport({ fulfillmentOrderId: foGid(2), status: "in_production" }),
          shopify: { fulfillmentOrder: null, lines: [aDriftLine(2, 0)] },
        },
        {
          report: aLabReport({
            fulfillmentOrderId: foGid(3),
            status: "accepted",
            source: "service",
          }),
          shopify: {
            fulfillmentOrder: aScannedFulfillmentOrder({
              id: foGid(3),
              locationId: STUDIO.id,
              locationName: STUDIO.name,
              serviceName: null,
              requestStatus: "UNSUBMITTED",
            }),
            lines: [aDriftLine(0, 2)],
          },
        },
        // Agreement is no finding.
        {
          report: aLabReport({ fulfillmentOrderId: foGid(4) }),
          shopify: { fulfillmentOrder: null, lines: [aDriftLine(2, 0)] },
        },
      ],
      LOCATIONS,
      NOW,
    );
    expect(findings.map((f) => [f.kind, f.repair?.then ?? null])).toEqual([
      ["quantity_mismatch", "fulfil"],
      ["fulfilled_open_at_lab", null],
      ["accepted_closed_or_moved", "request"],
    ]);
    expect(findings[2]!.summary).toEqual({
      key: "findings.summary.accepted_moved",
      params: { lab: "WHCC Lab", order: "#1001", location: "Studio" },
    });
  });

  it("reads the lab's answers on Shopify as its report, and keeps the merchant's newer record", () => {
    const accepted = reportFromShopify(
      aScannedFulfillmentOrder({ requestStatus: "ACCEPTED", status: "IN_PROGRESS" }),
      null,
      NOW,
    );
    expect(accepted).toMatchObject({ status: "accepted", source: "service" });
    expect(
      reportFromShopify(
        aScannedFulfillmentOrder({ requestStatus: "ACCEPTED", status: "IN_PROGRESS" }),
        accepted,
        NOW,
      ),
    ).toBeNull();
    expect(
      reportFromShopify(
        aScannedFulfillmentOrder({ requestStatus: "ACCEPTED", status: "CLOSED" }),
        { ...accepted!, source: "merchant" },
        NOW,
      ),
    ).toBeNull();
  });
});

describe("repair Steps follow what Shopify allows", () => {
  const print = aLine(1);

  it("cancels a submitted request (no move while submitted), then moves, then asks the new lab", () => {
    const submitted = aFulfillmentOrder(1, LAB, [print], {
      requestStatus: "SUBMITTED",
      supportedActions: ["CANCEL_FULFILLMENT_ORDER"],
    });
    const r = repair({
      to: {
        locationId: "gid://shopify/Location/3",
        name: "Print Partner",
        fulfillmentServiceHandle: "printify",
      },
      then: "request",
    });
    const first = planRepair(
      aSnapshot({ lineItems: [print], fulfillmentOrders: [submitted] }),
      r,
      WHY,
    );
    expect(first.state === "steps" && first.steps.map((s) => s.kind)).toEqual([
      "fulfillmentOrderCancel",
    ]);
    const replacement = aFulfillmentOrder(2, LAB, [print]);
    const second = planRepair(
      aSnapshot({
        lineItems: [print],
        fulfillmentOrders: [
          { ...submitted, status: "CANCELLED", supportedActions: [] },
          replacement,
        ],
      }),
      r,
      WHY,
    );
    expect(
      second.state === "steps" && second.steps.map((s) => [s.kind, s.fulfillmentOrderId]),
    ).toEqual([["fulfillmentOrderMove", foGid(2)]]);
  });

  it("asks the lab to cancel an accepted request, waits for its answer, and stops when it refuses", () => {
    const accepted = aFulfillmentOrder(1, LAB, [print], {
      status: "IN_PROGRESS",
      requestStatus: "ACCEPTED",
      supportedActions: ["REQUEST_CANCELLATION"],
    });
    const snap = (fo: typeof accepted) =>
      aSnapshot({ lineItems: [print], fulfillmentOrders: [fo] });
    const first = planRepair(snap(accepted), repair({}), WHY);
    expect(first.state === "steps" && first.steps[0]!.kind).toBe(
      "fulfillmentOrderSubmitCancellationRequest",
    );
    const asked = repair({ cancellationRequested: [foGid(1)] });
    expect(
      planRepair(snap({ ...accepted, requestStatus: "CANCELLATION_REQUESTED" }), asked, WHY).state,
    ).toBe("waiting");
    expect(
      planRepair(snap({ ...accepted, requestStatus: "CANCELLATION_REJECTED" }), asked, WHY),
    ).toMatchObject({
      state: "refused",
      message: { key: "serviceMessages.repair.cancellationRefused" },
    });
  });

  it("fulfils only what the lab shipped, with its tracking, and never where another service owns it", () => {
    const two = aLine(1, { quantity: 2, unfulfilledQuantity: 2 });
    const atStudio = aFulfillmentOrder(1, STUDIO, [two]);
    const r = repair({
      then: "fulfil",
      fulfilledTarget: [{ lineItemId: lineGid(1), quantity: 1 }],
      tracking: { company: "DHL", number: "42", url: null },
    });
    const p = planRepair(aSnapshot({ lineItems: [two], fulfillmentOrders: [atStudio] }), r, WHY);
    expect(p.state === "steps" && p.steps[0]!.input).toMatchObject({
      fulfillment: {
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderLineItems: [{ quantity: 1 }] }],
        trackingInfo: { company: "DHL", number: "42" },
      },
    });
    const done = planRepair(
      aSnapshot({
        lineItems: [{ ...two, unfulfilledQuantity: 1 }],
        fulfillmentOrders: [atStudio],
      }),
      r,
      WHY,
    );
    expect(done.state).toBe("done");
    const atLab = aFulfillmentOrder(1, LAB, [two], { supportedActions: ["REQUEST_FULFILLMENT"] });
    const labTarget = repair({
      ...r,
      to: { locationId: LAB.id, name: LAB.name, fulfillmentServiceHandle: "whcc" },
    });
    expect(
      planRepair(aSnapshot({ lineItems: [two], fulfillmentOrders: [atLab] }), labTarget, WHY),
    ).toMatchObject({
      state: "refused",
      message: { key: "serviceMessages.repair.onlyServiceFulfills" },
    });
  });
});

describe("rerouteOptions (the Re-route picker)", () => {
  const canvas = {
    productType: "Canvas",
    variantOptions: [{ name: "Size", value: "40x60" }],
    requiresShipping: true,
  };
  const at = (l: (typeof LOCATIONS)[number], movable = true): LocationForMove => ({
    target: {
      locationId: l.id,
      name: l.name,
      fulfillmentServiceHandle: l.fulfillmentServiceHandle,
    },
    movable,
    message: movable ? null : "No items are stocked at this location.",
  });
  // Shopify's order: by name, the current location (the stuck lab) included.
  const forMove = [at(PARTNER), at(STUDIO), at(WAREHOUSE, false), at(LAB, false)];
  const names = (r: ReturnType<typeof rerouteOptions>) => r.options.map((o) => o.target.name);

  it("never offers the stuck lab; without profiles labs come first, then own locations", () => {
    const r = rerouteOptions(forMove, LAB.id, null, STUDIO.id);
    expect(names(r)).toEqual(["Print Partner", "Studio", "Warehouse"]);
    expect(r.options.every((o) => o.cannotMake === null)).toBe(true);
    expect(r.selected).toBe(STUDIO.id);
  });

  it("with profiles orders by the merchant's preference, says why a location cannot make the lines, and never pre-selects one that cannot or that Shopify refuses", () => {
    const profiles: CapabilityProfile[] = [
      {
        locationId: PARTNER.id,
        name: PARTNER.name,
        kind: "partner",
        productTypes: ["Canvas"],
        options: { Size: ["40x60"] },
      },
      {
        locationId: STUDIO.id,
        name: STUDIO.name,
        kind: "in_house",
        productTypes: ["Print"],
        options: {},
      },
    ];
    const r = rerouteOptions(forMove, LAB.id, { profiles, lines: [canvas] }, WAREHOUSE.id);
    expect(names(r)).toEqual(["Studio", "Print Partner", "Warehouse"]);
    expect(r.options.map((o) => o.cannotMake?.key ?? null)).toEqual([
      "engine.capability.profile",
      null,
      "engine.capability.profile",
    ]);
    // The default (Warehouse) is not movable: the first that can make it is chosen instead.
    expect(r.selected).toBe(PARTNER.id);
    const none = rerouteOptions([at(STUDIO), at(LAB)], LAB.id, { profiles, lines: [canvas] }, null);
    expect(none.selected).toBeNull();
  });
});
