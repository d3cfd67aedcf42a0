// Re-route to a location the merchant chooses, and the "shipped but unfulfilled" repair's own
// location, against the shop simulator: both take only a location Shopify's locationsForMove
// allows, and a chosen one never the lab the request is stuck at (ADR 089).
import { beforeEach, describe, expect, it } from "vitest";
import { makeStep, type StepWhy } from "~/routing";
import { applyStep } from "~/fulfilment/apply-step.server";
import { recordLabReport, scanShop } from "~/fulfilment/drift.server";
import { runRepair } from "~/fulfilment/repair.server";
import { rerouteChoices } from "~/fulfilment/locations-for-move.server";
import { englishTranslator } from "~/i18n/i18next.server";
import { renderWords } from "~/i18n/words";
import { inEnglish, withFreshDatabase, withShopSimulator } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";

const sim = withShopSimulator();
const db = withFreshDatabase();

beforeEach(async () => {
  await db.shop.create({ data: { shop: sim.shop, notifyCustomer: false } });
});

const HOUR = 3600_000;
/** A day and more after the requests were sent: they count as stuck. */
const later = () => new Date(Date.now() + 26 * HOUR);
const deps = () => ({ db, gateway: sim.gateway, now: later });
const WHY: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "test" };

/** An order Shopify sends to Partner Lab, whose request the lab leaves unanswered. */
async function stuckAtPartnerLab(sku: string) {
  const order = await sim.createOrder({ lineItems: [{ sku, quantity: 1 }], payment: "paid" });
  const fo = (await sim.orderState(order.orderId)).fulfillmentOrders.find(
    (f) => f.location.name === "Partner Lab",
  )!;
  await applyStep(
    sim.gateway,
    makeStep(
      "fulfillmentOrderSubmitFulfillmentRequest",
      order.orderId,
      fo.id,
      { id: fo.id, notifyCustomer: false },
      "Request",
      WHY,
    ),
  );
  await scanShop(deps(), sim.shop);
  const finding = await db.finding.findFirstOrThrow({
    where: { shop: sim.shop, kind: "request_not_accepted" },
  });
  return { orderId: order.orderId, fo, finding };
}

async function stepKinds(decisionId: string | null) {
  const steps = await db.step.findMany({
    where: { decisionId: decisionId ?? "" },
    orderBy: { position: "asc" },
  });
  return steps.map((s) => `${s.kind}:${s.status}`);
}

/** Nothing changed: the request still waits at Partner Lab and the finding is as the scan left it. */
async function expectUntouched(orderId: string, foId: string, findingId: string) {
  expect((await sim.orderState(orderId)).fulfillmentOrders).toMatchObject([
    { id: foId, requestStatus: "SUBMITTED" },
  ]);
  expect(await db.finding.findUniqueOrThrow({ where: { id: findingId } })).toMatchObject({
    status: "open",
    decisionId: null,
    repairState: null,
  });
}

describe("Re-route to a location the merchant chooses", () => {
  it("moves the work to the chosen location, not the default, when Shopify allows the move there", async () => {
    // GIVEN a lustre A3 stuck at Partner Lab; Print Hub, another lab, stocks it too, and without
    // capability profiles the default goes to another lab first
    await addPartnerLab(sim, { name: "Print Hub", sku: "PRINT-LUSTRE-A3", available: 5 });
    const { orderId, fo, finding } = await stuckAtPartnerLab("PRINT-LUSTRE-A3");
    expect(JSON.parse(finding.repair!)).toMatchObject({ to: { name: "Print Hub" } });
    const studio = await sim.location("Studio");

    // The picker offers Shopify's locations for the move, never Partner Lab, the default chosen
    const choices = await rerouteChoices(deps(), sim.shop, {
      fulfillmentOrderId: fo.id,
      repair: JSON.parse(finding.repair!),
    });
    expect(choices!.options.map((o) => [o.target.name, o.movable])).toEqual([
      ["Print Hub", true],
      ["Studio", true],
    ]);
    expect(choices!.selected).toBe(JSON.parse(finding.repair!).to.locationId);

    // WHEN the merchant chooses the Studio
    const r = await runRepair(deps(), sim.shop, finding.id, {
      locationId: studio.id,
      actor: "Merchant",
    });

    // THEN the request is withdrawn and the work moved to the Studio, open for the merchant
    expect(r).toMatchObject({ ok: true, status: "repaired", stepsApplied: 2 });
    expect(r.field).toBeUndefined();
    const atStudio = (await sim.orderState(orderId)).fulfillmentOrders.find(
      (x) => x.location.name === "Studio",
    );
    expect(atStudio).toMatchObject({ status: "OPEN", requestStatus: "UNSUBMITTED" });
    const after = await db.finding.findUniqueOrThrow({ where: { id: finding.id } });
    expect(await stepKinds(after.decisionId)).toEqual([
      "fulfillmentOrderCancel:succeeded",
      "fulfillmentOrderMove:succeeded",
    ]);
    expect(await inEnglish(r.message)).toBe("The work is at Studio, ready for you to fulfill.");
  });

  it("refuses a location Shopify says the work may not move to, with Shopify's reason at the picker, and changes nothing", async () => {
    // GIVEN a lab-only print stuck at Partner Lab: the Studio does not stock it
    const { orderId, fo, finding } = await stuckAtPartnerLab("LAB-METALLIC-30x45");
    const studio = await sim.location("Studio");
    const choices = await rerouteChoices(deps(), sim.shop, {
      fulfillmentOrderId: fo.id,
      repair: JSON.parse(finding.repair!),
    });
    expect(choices!.options).toMatchObject([
      {
        target: { name: "Studio" },
        movable: false,
        message: "No items are stocked at this location.",
      },
    ]);

    // WHEN the merchant's form names the Studio anyway
    const r = await runRepair(deps(), sim.shop, finding.id, { locationId: studio.id });

    // THEN a field error the merchant can act on, in Shopify's words, and nothing changed
    expect(r).toMatchObject({ ok: false, status: "failed", field: "locationId", stepsApplied: 0 });
    expect(await inEnglish(r.message)).toBe(
      "Shopify does not allow moving it to Studio: No items are stocked at this location. Choose another location.",
    );
    await expectUntouched(orderId, fo.id, finding.id);
  });

  it("refuses the lab the request is stuck at", async () => {
    const { orderId, fo, finding } = await stuckAtPartnerLab("PRINT-LUSTRE-A3");
    const partnerLab = await sim.location("Partner Lab");
    const r = await runRepair(deps(), sim.shop, finding.id, { locationId: partnerLab.id });
    expect(r).toMatchObject({ ok: false, field: "locationId", stepsApplied: 0 });
    expect(await inEnglish(r.message)).toBe(
      "The request is stuck at Partner Lab. Choose another location.",
    );
    await expectUntouched(orderId, fo.id, finding.id);
  });

  it("asks for confirmation before sending work where the capability profile says it cannot be made, and moves it once confirmed", async () => {
    // GIVEN the Studio's profile makes matte prints only, and a lustre A3 is stuck at Partner Lab
    const { orderId, fo, finding } = await stuckAtPartnerLab("PRINT-LUSTRE-A3");
    const studio = await sim.location("Studio");
    await db.capabilityProfile.create({
      data: {
        shop: sim.shop,
        locationId: studio.id,
        name: "Studio",
        kind: "in_house",
        productTypes: JSON.stringify(["Print"]),
        options: JSON.stringify({ Paper: ["Matte"], Size: ["A4", "A3"], Finish: ["None"] }),
      },
    });
    const choices = await rerouteChoices(deps(), sim.shop, {
      fulfillmentOrderId: fo.id,
      repair: null,
    });
    const t = await englishTranslator();
    expect(
      choices!.options.map((o) => [o.target.name, o.cannotMake && renderWords(t, o.cannotMake)]),
    ).toEqual([["Studio", "“Studio” cannot do Paper “Lustre”"]]);
    // Nothing that can make it: nothing is chosen for the merchant.
    expect(choices!.selected).toBeNull();

    const unconfirmed = await runRepair(deps(), sim.shop, finding.id, { locationId: studio.id });
    expect(unconfirmed).toMatchObject({ ok: false, field: "locationId" });
    expect(await inEnglish(unconfirmed.message)).toBe(
      "Studio cannot make all of it: “Studio” cannot do Paper “Lustre”. Confirm to re-route it there anyway, or choose another location.",
    );
    await expectUntouched(orderId, fo.id, finding.id);

    const confirmed = await runRepair(deps(), sim.shop, finding.id, {
      locationId: studio.id,
      confirmed: true,
    });
    expect(confirmed).toMatchObject({ ok: true, status: "repaired" });
    expect(
      (await sim.orderState(orderId)).fulfillmentOrders.find((x) => x.location.name === "Studio"),
    ).toMatchObject({ status: "OPEN" });
  });
});

describe("shipped but unfulfilled, where the merchant's first own location does not stock the item", () => {
  it("fulfils at the first own location Shopify allows the move to, and says which", async () => {
    // GIVEN two more locations of the merchant's own: the Annex (first by name, stocks no lab
    // print) and the Warehouse, which stocks the metallic print; Partner Lab says it shipped one
    await sim.control("POST", "/_sim/locations", {
      shop: sim.shop,
      name: "Annex",
      stock: { "PRINT-MATTE-A4": 5 },
    });
    await sim.control("POST", "/_sim/locations", {
      shop: sim.shop,
      name: "Warehouse",
      stock: { "LAB-METALLIC-30x45": 5 },
    });
    const order = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    const fo = (await sim.orderState(order.orderId)).fulfillmentOrders.find(
      (f) => f.location.name === "Partner Lab",
    )!;
    await recordLabReport(
      deps(),
      sim.shop,
      {
        fulfillmentOrderId: fo.id,
        status: "shipped",
        tracking: { company: "DHL", number: "00340434", url: null },
      },
      "Merchant",
    );
    await scanShop(deps(), sim.shop);
    const finding = await db.finding.findFirstOrThrow({
      where: { shop: sim.shop, kind: "shipped_not_fulfilled" },
    });
    expect(JSON.parse(finding.repair!)).toMatchObject({ to: { name: "Annex" }, then: "fulfil" });

    // WHEN the merchant clicks Repair
    const r = await runRepair(deps(), sim.shop, finding.id);

    // THEN the work moved to the Warehouse and is fulfilled there with the lab's tracking
    expect(r).toMatchObject({ ok: true, status: "repaired" });
    const state = await sim.orderState(order.orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(state.fulfillmentOrders.find((x) => x.location.name === "Warehouse")).toMatchObject({
      status: "CLOSED",
    });
    const after = await db.finding.findUniqueOrThrow({ where: { id: finding.id } });
    expect(await stepKinds(after.decisionId)).toEqual([
      "fulfillmentOrderMove:succeeded",
      "fulfillmentCreate:succeeded",
    ]);
    // The finding says where, and why not the Annex
    expect(await inEnglish(after.message)).toBe(
      "Shopify shows everything the lab shipped as fulfilled. Fulfilled at Warehouse, since Annex does not stock these items.",
    );
  });
});
