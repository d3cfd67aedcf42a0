// A print shop with more locations than one page of Shopify's answer: 28 partner labs beside the
// Studio and the Partner Lab, each added as Shopify adds one (the lab's own app creates its
// fulfillment service, and with it a location, and stocks the prints it makes). A rule's move and a
// capability profile send work to a lab past the first 20 locations: the order goes there. Driven
// through the simulator's signed webhooks and the worker.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { loadLocations, loadProfiles } from "~/services/capabilities.server";
import { readLocations } from "~/fulfilment/drift.server";
import { forgetLocations } from "~/shopify/snapshot.server";
import { saveRule } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { withWorkerSuite } from "../support/worker-suite";

const { sim, deps, settle } = withWorkerSuite({ shop: { releaseGate: false } });

const LABS = 28;
const labName = (n: number) => `Lab ${String(n).padStart(2, "0")}`;
/** Past the first page by name (Lab 01 to Lab 20) and by the order they were added in alike. */
const FAR_LAB = labName(27);

/** The partner labs, each with the matte A4 print in stock. Answers the far lab's location id. */
async function partnerLabs(): Promise<string> {
  let far = "";
  for (let n = 1; n <= LABS; n++) {
    const name = labName(n);
    const location = await addPartnerLab(sim, { name, sku: "PRINT-MATTE-A4", available: 20 });
    if (name === FAR_LAB) far = location;
  }
  return far;
}

/** A capability profile of a location, as the Capabilities screen saves one. */
const profile = (
  locationId: string,
  name: string,
  kind: "in_house" | "partner",
  options: Record<string, string[]>,
) =>
  db.capabilityProfile.create({
    data: {
      shop: sim.shop,
      locationId,
      name,
      kind,
      productTypes: JSON.stringify(["Print"]),
      options: JSON.stringify(options),
    },
  });

/** A paid order of a matte A4 print, routed by the worker; where its open work is, and the decision. */
async function routedPrint() {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
    payment: "paid",
  });
  await settle(await deps());
  const state = await sim.orderState(orderId);
  const decision = await db.decision.findFirstOrThrow({ where: { orderId } });
  return {
    where: state.fulfillmentOrders.filter((f) => f.status !== "CLOSED").map((f) => f.location.name),
    decision,
  };
}

/** The calls and points the shop has spent on reading its locations page by page so far. */
async function locationPages() {
  const stats = await sim.control<{
    shops: Record<string, { operations: Record<string, { calls: number; pointsSpent: number }> }>;
  }>("GET", "/_sim/stats");
  return stats.shops[sim.shop]!.operations.Locations ?? { calls: 0, pointsSpent: 0 };
}

const moveToFarLab = (locationId: string) =>
  saveRule(db, sim.shop, {
    name: "Matte prints go to Lab 27",
    conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
    actions: [{ type: "move", locationId }],
  });

beforeEach(() => {
  // Each test's shop is seeded afresh (new location ids): it starts without reused ones (ADR 018).
  forgetLocations(sim.shop);
});

describe("a shop with more locations than one page", () => {
  it("moves an order to a lab past the first 20 locations when a rule says so", async () => {
    await moveToFarLab(await partnerLabs());
    const { where, decision } = await routedPrint();
    expect(decision.status).toBe("applied");
    expect(where).toEqual([FAR_LAB]);
  });

  it("reads the locations past the first page once, from the order read's cursor; a shop of two reads none", async () => {
    // The seeded shop's two locations come with the order read, whole.
    await routedPrint();
    expect(await locationPages()).toEqual({ calls: 0, pointsSpent: 0 });
    // The labs arrive; the rule names one the reused locations lack, so the next read asks for
    // them again (ADR 018), and the page after the first 20 from its cursor: the ten left, two
    // points for the connection and one for each location and each lab's fulfilment service.
    await moveToFarLab(await partnerLabs());
    expect((await routedPrint()).where).toEqual([FAR_LAB]);
    expect(await locationPages()).toEqual({ calls: 1, pointsSpent: 2 + 10 + 9 });
    // The next order reuses them all.
    expect((await routedPrint()).where).toEqual([FAR_LAB]);
    expect((await locationPages()).calls).toBe(1);
  });

  it("routes by capability to a lab past the first 20 locations", async () => {
    const farLab = await partnerLabs();
    // The Studio prints lustre only; matte goes to the far lab, the one partner that makes it.
    await profile((await sim.location("Studio")).id, "Studio", "in_house", {
      Paper: ["Lustre"],
      Size: ["A4", "A3"],
      Finish: ["None"],
    });
    await profile(farLab, FAR_LAB, "partner", {
      Paper: ["Matte"],
      Size: ["A4"],
      Finish: ["None"],
    });
    await saveRule(db, sim.shop, {
      name: "Split by capability",
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    });
    const { where, decision } = await routedPrint();
    expect(decision.status).toBe("applied");
    expect(where).toEqual([FAR_LAB]);
  });

  it("sends work two partners can make to the one the Capabilities screen lists first, after either is edited", async () => {
    await partnerLabs();
    const labs = await Promise.all([labName(5), FAR_LAB].map((name) => sim.location(name)));
    // Listed first is the one added first; the database's own order (here the unique index on the
    // shop and location id) must not decide: the first added sorts last by its location id.
    const [first, second] = labs.sort((a, b) => (a.id < b.id ? 1 : -1));
    const makes = (...paper: string[]) => ({ Paper: paper, Size: ["A4"], Finish: ["None"] });
    await profile((await sim.location("Studio")).id, "Studio", "in_house", makes("Lustre"));
    const firstProfile = await profile(first!.id, first!.name, "partner", makes("Matte"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await profile(second!.id, second!.name, "partner", makes("Matte"));
    // An edit saved from the screen rewrites the row (PostgreSQL stores it anew).
    await db.capabilityProfile.update({
      where: { id: firstProfile.id },
      data: { options: JSON.stringify(makes("Matte", "Metallic")) },
    });
    const { profiles } = await loadProfiles(db, sim.shop);
    expect(profiles.filter((p) => p.kind === "partner").map((p) => p.name)).toEqual([
      first!.name,
      second!.name,
    ]);
    await saveRule(db, sim.shop, {
      name: "Split by capability",
      conditions: [],
      actions: [{ type: "split", by: "capability" }],
    });
    expect((await routedPrint()).where).toEqual([first!.name]);
  });

  it("lists every location on the screens that show them (capabilities, rules, stuck work)", async () => {
    await partnerLabs();
    const names = [
      ...Array.from({ length: LABS }, (_, i) => labName(i + 1)),
      "Partner Lab",
      "Studio",
    ];
    expect((await loadLocations(sim.gateway)).map((l) => l.name)).toEqual(names);
    expect((await readLocations(sim.gateway)).map((l) => l.name)).toEqual(names);
  });
});
