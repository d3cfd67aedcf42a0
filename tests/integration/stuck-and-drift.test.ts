// Stuck requests and drift found and repaired against the shop simulator: the lab's answers come
// from the simulator's fulfilment-service side, the repair's changes are checked on Shopify's side.
import { beforeEach, describe, expect, it } from "vitest";
import { makeStep, type LabReport, type StepWhy } from "~/routing";
import { applyStep } from "~/fulfilment/apply-step.server";
import { recordLabReport, scanShop } from "~/fulfilment/drift.server";
import { markResolved, runRepair, scanAndRepair } from "~/fulfilment/repair.server";
import { handleBulkItem, startBulkJob } from "~/fulfilment/bulk.server";
import { QUEUES } from "~/fulfilment/queues";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { routeOrder } from "~/fulfilment/route-order.server";
import {
  FLOW_TRIGGER_HANDLES,
  recordFlowTriggerLifecycle,
} from "~/fulfilment/flow-triggers.server";
import { englishTranslator, translatorOf } from "~/i18n/i18next.server";
import {
  asStoredWords,
  readWords,
  readWordsList,
  renderWords,
  type StoredWords,
} from "~/i18n/words";
import { seedDemoConfig, seedDemoLabHistory } from "../../scripts/demo-config";
import { inEnglish, withFreshDatabase, withShopSimulator } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";

const sim = withShopSimulator();
const db = withFreshDatabase();

beforeEach(async () => {
  await db.shop.create({ data: { shop: sim.shop, notifyCustomer: false } });
  // The merchant has Flow workflows starting from both triggers (Flow's lifecycle callback).
  for (const handle of [FLOW_TRIGGER_HANDLES.request_stuck, FLOW_TRIGGER_HANDLES.drift_found])
    await recordFlowTriggerLifecycle(db, { shop: sim.shop, handle, enabled: true, at: new Date() });
});

const HOUR = 3600_000;
/** The scan's clock: a day and more after the requests were sent. */
const later = () => new Date(Date.now() + 26 * HOUR);
const deps = (now: () => Date = later) => ({ db, gateway: sim.gateway, now });
const WHY: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "test" };

/** An order whose print Shopify routes to Partner Lab (the Studio has none of it in stock). */
async function labOrder(sku = "PRINT-LUSTRE-A3", quantity = 1) {
  const order = await sim.createOrder({ lineItems: [{ sku, quantity }], payment: "paid" });
  const state = await sim.orderState(order.orderId);
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab");
  if (!fo) throw new Error(`${sku} did not go to Partner Lab`);
  return { orderId: order.orderId, name: order.name, fo };
}

/** The merchant (through the app's executor) asks the lab to fulfil. */
async function submitRequest(orderId: string, foId: string) {
  await applyStep(
    sim.gateway,
    makeStep(
      "fulfillmentOrderSubmitFulfillmentRequest",
      orderId,
      foId,
      { id: foId, notifyCustomer: false },
      "Request",
      WHY,
    ),
  );
}

/** The lab answers, as the fulfilment service app that owns Partner Lab. */
async function lab(foId: string, action: string, body: Record<string, unknown> = {}) {
  await sim.control(
    "POST",
    `/_sim/fulfillment-orders/${encodeURIComponent(foId)}/service-response`,
    { action, ...body },
  );
}

/** A finding's stored words as the English screen says them. */
async function english(stored: string | null): Promise<string> {
  return renderWords(await englishTranslator(), readWords(stored ?? ""));
}

async function evidenceInEnglish(stored: string) {
  const t = await englishTranslator();
  const { lab, shopify } = JSON.parse(stored) as { lab: StoredWords[]; shopify: StoredWords[] };
  return { lab: lab.map((w) => renderWords(t, w)), shopify: shopify.map((w) => renderWords(t, w)) };
}

async function finding(kind: string) {
  return db.finding.findFirstOrThrow({ where: { shop: sim.shop, kind } });
}

async function repairSteps(decisionId: string | null) {
  const steps = await db.step.findMany({
    where: { decisionId: decisionId ?? "" },
    orderBy: { position: "asc" },
  });
  return steps.map((s) => `${s.kind}:${s.status}`);
}

describe("stuck requests", () => {
  it("finds a request the lab has not accepted after the hours set, and re-routes it to the Studio: cancel (no move while submitted), then move", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);

    // Within the hours set nothing is stuck.
    await scanShop(
      deps(() => new Date()),
      sim.shop,
    );
    expect(await db.finding.count()).toBe(0);

    const result = await scanShop(deps(), sim.shop);
    expect(result.stuck).toBe(1);
    const f = await finding("request_not_accepted");
    expect(f).toMatchObject({ category: "stuck", labName: "Partner Lab", status: "open" });
    expect(await english(f.summary)).toMatch(
      /^Partner Lab has not accepted the request for #\d+ in 26 hours\.$/,
    );
    // Shopify Flow hears of it once, however often the scan sees it again.
    await scanShop(deps(), sim.shop);
    const flow = await sim.control<{ triggers: { handle: string }[] }>(
      "GET",
      `/_sim/flow/triggers?shop=${sim.shop}`,
    );
    expect(flow.triggers.map((t) => t.handle)).toEqual(["fulfillment-request-stuck"]);

    const repair = await runRepair(deps(), sim.shop, f.id, { actor: "Merchant" });
    expect(repair).toMatchObject({ ok: true, status: "repaired", stepsApplied: 2 });
    const state = await sim.orderState(orderId);
    const original = state.fulfillmentOrders.find((x) => x.id === fo.id)!;
    expect(["CLOSED", "CANCELLED"]).toContain(original.status);
    const atStudio = state.fulfillmentOrders.find((x) => x.location.name === "Studio")!;
    expect(atStudio).toMatchObject({ status: "OPEN", requestStatus: "UNSUBMITTED" });
    // The lab never took the work: the one taken back shows as canceled, never as completed.
    const taken = await db.fulfillmentOrderRecord.findMany({ where: { orderId } });
    expect(taken.find((r) => r.fulfillmentOrderId === fo.id)?.outcome).toBe("cancelled");
    const after = await db.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(after.status).toBe("repaired");
    const decision = await db.decision.findUniqueOrThrow({ where: { id: after.decisionId! } });
    expect(decision).toMatchObject({ trigger: "repair", status: "applied" });
    expect(await repairSteps(after.decisionId)).toEqual([
      "fulfillmentOrderCancel:succeeded",
      "fulfillmentOrderMove:succeeded",
    ]);
    // The repair's trace reads in the language of whoever opens the order: Words, not English.
    const german = await translatorOf("de");
    const problem = renderWords(german, readWords(f.summary));
    expect(readWordsList(decision.explanation).map((w) => renderWords(german, w))).toEqual([
      problem,
      renderWords(german, repair.message),
    ]);
    const steps = await db.step.findMany({
      where: { decisionId: decision.id },
      orderBy: { position: "asc" },
    });
    const said = steps.map((step) => {
      const { summary, why } = JSON.parse(step.input) as { summary: unknown; why: StepWhy };
      return [renderWords(german, asStoredWords(summary)!), renderWords(german, why.text)];
    });
    const because = german("engine.why.byActor", {
      what: german("engine.why.repair", { finding: problem }),
      actor: "Merchant",
    });
    expect(said).toEqual([
      [german("engine.step.withdrawRequest", { service: "Partner Lab" }), because],
      [german("engine.step.move", { from: "Partner Lab", to: "Studio" }), because],
    ]);
    // The next pass sees nothing stuck any more.
    await scanShop(deps(), sim.shop);
    expect(await db.finding.count({ where: { status: "open" } })).toBe(0);
  });

  it("stops with Shopify's words when Shopify refuses a move on the way (the Studio does not stock lab-only prints)", async () => {
    const { orderId, fo } = await labOrder("LAB-METALLIC-30x45");
    await submitRequest(orderId, fo.id);
    await scanShop(deps(), sim.shop);
    const f = await finding("request_not_accepted");
    const repair = await runRepair(deps(), sim.shop, f.id);
    expect(repair.ok).toBe(false);
    expect(await inEnglish(repair.message)).toMatch(/^Shopify refused the change: ./);
    const after = await db.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(after.status).toBe("failed");
    expect(await repairSteps(after.decisionId)).toEqual([
      "fulfillmentOrderCancel:succeeded",
      "fulfillmentOrderMove:failed",
    ]);
    const decision = await db.decision.findUniqueOrThrow({ where: { id: after.decisionId! } });
    expect(decision.status).toBe("needs_attention");
  });

  it("finds a cancellation the lab leaves unanswered, and takes the work back with fulfillmentOrderCancel", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);
    await lab(fo.id, "accept");
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderSubmitCancellationRequest",
        orderId,
        fo.id,
        { id: fo.id },
        "Ask",
        WHY,
      ),
    );
    await scanShop(deps(), sim.shop);
    const f = await finding("cancellation_pending");
    const repair = await runRepair(deps(), sim.shop, f.id);
    expect(repair.status).toBe("repaired");
    const after = await db.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(await repairSteps(after.decisionId)).toEqual([
      "fulfillmentOrderCancel:succeeded",
      "fulfillmentOrderMove:succeeded",
    ]);
  });

  it("finds a rejection nothing followed up and a lab that could not complete, and moves both to the Studio", async () => {
    const rejected = await labOrder();
    await submitRequest(rejected.orderId, rejected.fo.id);
    await lab(rejected.fo.id, "reject", { message: "Out of paper" });
    const failed = await labOrder();
    await submitRequest(failed.orderId, failed.fo.id);
    await lab(failed.fo.id, "accept");
    await lab(failed.fo.id, "close", { message: "Printer broke" });

    // A rejection is stuck at once; it needs no hours to pass.
    await scanShop(
      deps(() => new Date()),
      sim.shop,
    );
    const r = await finding("rejected_no_fallback");
    const c = await finding("failed_to_complete");
    for (const f of [r, c]) {
      const repair = await runRepair(deps(), sim.shop, f.id);
      expect(repair.status).toBe("repaired");
    }
    for (const { orderId } of [rejected, failed]) {
      const state = await sim.orderState(orderId);
      expect(state.fulfillmentOrders.some((x) => x.location.name === "Studio")).toBe(true);
    }
  });
});

describe("stuck requests in a shop with capability profiles", () => {
  /** The merchant's profiles, in the order the Capabilities screen lists them (first added first). */
  async function profiles(
    ...list: { at: string; kind: "in_house" | "partner"; types: string[]; options?: object }[]
  ) {
    let at = Date.now() - 60_000;
    for (const p of list) {
      const location = await sim.location(p.at);
      await db.capabilityProfile.create({
        data: {
          shop: sim.shop,
          locationId: location.id,
          name: location.name,
          kind: p.kind,
          productTypes: JSON.stringify(p.types),
          options: JSON.stringify(p.options ?? {}),
          createdAt: new Date((at += 1000)),
        },
      });
    }
  }
  const studioPrints = {
    at: "Studio",
    kind: "in_house" as const,
    types: ["Print"],
    options: { Paper: ["Matte", "Lustre"], Size: ["A4", "A3"], Finish: ["None"] },
  };
  const canvas = { Size: ["40x60", "60x90"], Finish: ["Gallery Wrap"] };

  it("re-routes a stuck canvas by default to the lab whose profile makes canvas, not the first other lab nor the Studio, and the repair asks that lab", async () => {
    // GIVEN a canvas Shopify sent to Partner Lab, asked of it a day and more ago; then the merchant
    // took on two more labs, Poster Lab (posters only) and Westside Canvas (canvas)
    const { orderId, fo } = await labOrder("CANVAS-40x60-WRAP");
    await submitRequest(orderId, fo.id);
    await addPartnerLab(sim, { name: "Poster Lab", sku: "POSTER-SATIN-A1", available: 10 });
    await addPartnerLab(sim, { name: "Westside Canvas", sku: "CANVAS-40x60-WRAP", available: 10 });
    await profiles(
      { at: "Partner Lab", kind: "partner", types: ["Canvas", "Print"], options: canvas },
      studioPrints,
      { at: "Poster Lab", kind: "partner", types: ["Poster"], options: { Paper: ["Satin"] } },
      { at: "Westside Canvas", kind: "partner", types: ["Canvas"], options: canvas },
    );

    // WHEN the pass finds it stuck and the merchant clicks Re-route on its default
    await scanShop(deps(), sim.shop);
    const f = await finding("request_not_accepted");
    // Before: "another lab first", Poster Lab, which makes no canvas.
    expect(JSON.parse(f.repair!)).toMatchObject({
      to: { name: "Westside Canvas" },
      then: "request",
    });
    expect(f.advice).toBeNull();
    const repair = await runRepair(deps(), sim.shop, f.id, { actor: "Merchant" });

    // THEN the request is taken back from Partner Lab and sent to Westside Canvas
    expect(repair).toMatchObject({ ok: true, status: "repaired" });
    const state = await sim.orderState(orderId);
    expect(
      state.fulfillmentOrders
        .filter((x) => x.status !== "CLOSED" && x.status !== "CANCELLED")
        .map((x) => [x.location.name, x.requestStatus]),
    ).toEqual([["Westside Canvas", "SUBMITTED"]]);
    expect(
      await repairSteps((await db.finding.findUniqueOrThrow({ where: { id: f.id } })).decisionId),
    ).toEqual([
      "fulfillmentOrderCancel:succeeded",
      "fulfillmentOrderMove:succeeded",
      "fulfillmentOrderSubmitFulfillmentRequest:succeeded",
    ]);
  });

  it("offers no default when no other location's profile makes the canvas, and says why in the merchant's words", async () => {
    const { orderId, fo } = await labOrder("CANVAS-40x60-WRAP");
    await submitRequest(orderId, fo.id);
    await profiles(studioPrints, {
      at: "Partner Lab",
      kind: "partner",
      types: ["Canvas"],
      options: canvas,
    });

    await scanShop(deps(), sim.shop);
    const f = await finding("request_not_accepted");
    // Before: the Studio, which makes no canvas.
    expect(f.repair).toBeNull();
    expect(await english(f.advice)).toBe(
      "No other location can make every line of it, so none is chosen for you: “Studio” does not make product type “Canvas” and cannot do Size “40x60” and cannot do Finish “Gallery Wrap”. Add what is missing to a capability profile on the Capabilities screen, then choose Check now; or choose a location yourself under Choose location, or move it in Shopify admin.",
    );
    const german = await translatorOf("de");
    expect(renderWords(german, readWords(f.advice!))).toMatch(
      /^Kein anderer Standort kann jede Position davon herstellen, .*„Studio“ stellt den Produkttyp „Canvas“ nicht her/,
    );
    // One click has nothing to do and changes nothing on Shopify.
    expect((await runRepair(deps(), sim.shop, f.id)).ok).toBe(false);
    expect((await sim.orderState(orderId)).fulfillmentOrders).toMatchObject([
      { id: fo.id, requestStatus: "SUBMITTED" },
    ]);
  });

  it("reads every line of a stuck fulfillment order past Shopify's first page before offering a default: a canvas on its 21st line is not offered to the Studio", async () => {
    // GIVEN 20 prints and, as the 21st line, a canvas, all sent to Partner Lab and left unanswered
    const order = await sim.createOrder({
      lineItems: [
        ...Array.from({ length: 20 }, (_, n) => ({
          sku: "PRINT-LUSTRE-A3",
          quantity: 1,
          properties: [{ name: "Photo", value: `IMG_${n + 1}.jpg` }],
        })),
        { sku: "CANVAS-40x60-WRAP", quantity: 1 },
      ],
      payment: "paid",
    });
    const state = await sim.orderState(order.orderId);
    const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab");
    expect(fo?.lineItems).toHaveLength(21);
    await submitRequest(order.orderId, fo!.id);
    await profiles(studioPrints, {
      at: "Partner Lab",
      kind: "partner",
      types: ["Canvas", "Print"],
      options: canvas,
    });

    await scanShop(deps(), sim.shop);
    const f = await finding("request_not_accepted");
    // Read to its first 20 lines (prints only), the Studio looked able to make it all.
    expect(f.repair).toBeNull();
    expect(await english(f.advice)).toMatch(/“Studio” does not make product type “Canvas”/);
  });
});

describe("drift", () => {
  it("shipped by the lab but unfulfilled on Shopify: asks the lab to cancel, waits, then moves and fulfils with the lab's tracking", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);
    await lab(fo.id, "accept");
    const recorded = await recordLabReport(
      deps(),
      sim.shop,
      {
        fulfillmentOrderId: fo.id,
        status: "shipped",
        tracking: { company: "DHL", number: "00340434", url: null },
      },
      "Merchant",
    );
    expect(recorded.ok).toBe(true);
    await scanShop(deps(), sim.shop);
    const f = await finding("shipped_not_fulfilled");
    const flow = await sim.control<{ triggers: { handle: string }[] }>(
      "GET",
      `/_sim/flow/triggers?shop=${sim.shop}&handle=drift-found`,
    );
    expect(flow.triggers).toHaveLength(1);
    expect(await evidenceInEnglish(f.evidence)).toEqual({
      lab: ["Recorded from Partner Lab: shipped 1 × Fine Art Print with tracking DHL 00340434"],
      shopify: ["Fine Art Print: 0 fulfilled, 1 unfulfilled"],
    });

    // Since 2024-10 the app cannot fulfil what Partner Lab owns: it asks for the work back first.
    const first = await runRepair(deps(), sim.shop, f.id);
    expect(first.status).toBe("waiting");
    expect((await sim.orderState(orderId)).fulfillments).toHaveLength(0);
    await lab(fo.id, "accept-cancellation");
    const second = await runRepair(deps(), sim.shop, f.id);
    expect(second.status).toBe("repaired");
    const state = await sim.orderState(orderId);
    expect(state.fulfillments).toHaveLength(1);
    const after = await db.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(await repairSteps(after.decisionId)).toEqual([
      "fulfillmentOrderSubmitCancellationRequest:succeeded",
      "fulfillmentOrderMove:succeeded",
      "fulfillmentCreate:succeeded",
    ]);
    const fulfil = await db.step.findFirstOrThrow({
      where: { decisionId: after.decisionId!, kind: "fulfillmentCreate" },
    });
    expect(JSON.parse(fulfil.input).input.fulfillment.trackingInfo).toEqual({
      company: "DHL",
      number: "00340434",
      url: null,
    });
  });

  it("stops when the lab refuses to give the work back, and says what to ask of the lab", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);
    await lab(fo.id, "accept");
    await recordLabReport(deps(), sim.shop, { fulfillmentOrderId: fo.id, status: "shipped" }, null);
    await scanShop(deps(), sim.shop);
    const f = await finding("shipped_not_fulfilled");
    expect((await runRepair(deps(), sim.shop, f.id)).status).toBe("waiting");
    await lab(fo.id, "reject-cancellation", { message: "Already shipped" });
    const refused = await runRepair(deps(), sim.shop, f.id);
    expect(refused).toMatchObject({ ok: false, status: "failed" });
    expect(await inEnglish(refused.message)).toMatch(
      /refused to cancel.*mark it fulfilled on Shopify/,
    );
  });

  it("quantities that disagree: splits off only what the lab shipped, fulfils it, then catches up when the lab ships the rest", async () => {
    const { orderId, fo } = await labOrder("PRINT-LUSTRE-A3", 2);
    const line = fo.lineItems[0]!;
    await recordLabReport(
      deps(),
      sim.shop,
      {
        fulfillmentOrderId: fo.id,
        status: "shipped",
        lines: [{ lineItemId: line.lineItemId, quantity: 1 }],
      },
      null,
    );
    await scanShop(deps(), sim.shop);
    let f = await finding("shipped_not_fulfilled");
    expect((await runRepair(deps(), sim.shop, f.id)).status).toBe("repaired");
    let state = await sim.orderState(orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(
      state.fulfillmentOrders.find((x) => x.location.name === "Partner Lab" && x.status === "OPEN")
        ?.lineItems[0]?.remainingQuantity,
    ).toBe(1);
    f = await db.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(await repairSteps(f.decisionId)).toEqual([
      "fulfillmentOrderSplit:succeeded",
      "fulfillmentOrderMove:succeeded",
      "fulfillmentCreate:succeeded",
    ]);

    await recordLabReport(
      deps(),
      sim.shop,
      {
        fulfillmentOrderId: fo.id,
        status: "shipped",
        lines: [{ lineItemId: line.lineItemId, quantity: 2 }],
      },
      null,
    );
    await scanShop(deps(), sim.shop);
    const mismatch = await finding("quantity_mismatch");
    expect(await english(mismatch.summary)).toMatch(
      /shipped more of #\d+ than Shopify shows fulfilled/,
    );
    expect((await runRepair(deps(), sim.shop, mismatch.id)).status).toBe("repaired");
    state = await sim.orderState(orderId);
    expect(state.fulfillments).toHaveLength(2);
    expect(
      state.fulfillmentOrders.every((x) => x.status === "CLOSED" || x.status === "CANCELLED"),
    ).toBe(true);
  });

  it("fulfilled on Shopify while the lab still works on it: no API path, the merchant marks it resolved", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);
    await scanShop(deps(), sim.shop);
    const stuck = await finding("request_not_accepted");
    await runRepair(deps(), sim.shop, stuck.id);
    const state = await sim.orderState(orderId);
    const atStudio = state.fulfillmentOrders.find((x) => x.location.name === "Studio")!;
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentCreate",
        orderId,
        atStudio.id,
        {
          fulfillment: {
            lineItemsByFulfillmentOrder: [
              {
                fulfillmentOrderId: atStudio.id,
                fulfillmentOrderLineItems: [{ id: atStudio.lineItems[0]!.id, quantity: 1 }],
              },
            ],
            notifyCustomer: false,
          },
        },
        "Fulfil",
        WHY,
      ),
    );
    // The lab never saw the cancellation in time and says it is printing.
    await recordLabReport(
      deps(),
      sim.shop,
      { fulfillmentOrderId: fo.id, status: "in_production" },
      null,
    );
    await scanShop(deps(), sim.shop);
    const f = await finding("fulfilled_open_at_lab");
    expect(f.repair).toBeNull();
    expect(await english(f.advice)).toMatch(/Ask Partner Lab to cancel/);
    expect((await runRepair(deps(), sim.shop, f.id)).ok).toBe(false);
    expect(await markResolved(deps(), sim.shop, f.id, "Merchant")).toBe(true);
    await scanShop(deps(), sim.shop);
    expect(
      await db.finding.count({ where: { kind: "fulfilled_open_at_lab", status: "open" } }),
    ).toBe(0);
  });

  it("a lab working on a request Shopify closed: sends the returned work to the lab again", async () => {
    const { orderId, fo } = await labOrder();
    await submitRequest(orderId, fo.id);
    await lab(fo.id, "accept");
    await recordLabReport(
      deps(),
      sim.shop,
      { fulfillmentOrderId: fo.id, status: "in_production" },
      null,
    );
    // Staff asked for the work back in Shopify admin and the lab's system said yes, but its
    // print room kept going.
    await applyStep(
      sim.gateway,
      makeStep(
        "fulfillmentOrderSubmitCancellationRequest",
        orderId,
        fo.id,
        { id: fo.id },
        "Ask",
        WHY,
      ),
    );
    await lab(fo.id, "accept-cancellation");
    await scanShop(deps(), sim.shop);
    const f = await finding("accepted_closed_or_moved");
    expect(await english(f.summary)).toMatch(
      /Partner Lab is working on #\d+, but Shopify shows its fulfillment order (closed|canceled)\./,
    );
    expect((await runRepair(deps(), sim.shop, f.id)).status).toBe("repaired");
    const state = await sim.orderState(orderId);
    expect(
      state.fulfillmentOrders.some(
        (x) => x.location.name === "Partner Lab" && x.requestStatus === "SUBMITTED",
      ),
    ).toBe(true);
  });

  /** A print the lab says it shipped while Shopify shows it unfulfilled, found by the scan. */
  async function shippedButUnfulfilled(tracking: LabReport["tracking"]) {
    const { orderId, fo } = await labOrder();
    await recordLabReport(
      deps(),
      sim.shop,
      { fulfillmentOrderId: fo.id, status: "shipped", tracking },
      null,
    );
    await scanShop(deps(), sim.shop);
    return { orderId, finding: await finding("shipped_not_fulfilled") };
  }

  /** The repair moved the print home and fulfilled it, each exactly once on Shopify and in the trace. */
  async function expectRepairedOnce(orderId: string, findingId: string) {
    const state = await sim.orderState(orderId);
    expect(state.fulfillments).toHaveLength(1);
    expect(state.fulfillmentOrders.filter((x) => x.location.name === "Studio")).toHaveLength(1);
    const after = await db.finding.findUniqueOrThrow({ where: { id: findingId } });
    const steps = await db.step.findMany({ where: { decisionId: after.decisionId! } });
    expect(steps.filter((s) => s.kind === "fulfillmentOrderMove")).toHaveLength(1);
    expect(steps.filter((s) => s.kind === "fulfillmentCreate")).toHaveLength(1);
  }

  it("a repair interrupted by a crash after Shopify applied a change resumes and does nothing twice", async () => {
    const { orderId, finding: f } = await shippedButUnfulfilled({
      company: "UPS",
      number: "1Z999",
      url: null,
    });
    // The move is applied on Shopify, then the answer never comes: the worker dies with it.
    await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1 });
    await expect(runRepair(deps(), sim.shop, f.id)).rejects.toThrow();
    await sim.resetFaults();
    const resumed = await runRepair(deps(), sim.shop, f.id);
    expect(resumed.status).toBe("repaired");
    await expectRepairedOnce(orderId, f.id);
  });

  it("a bulk repair whose worker lost Shopify's answer after the move is retried by the queue and finishes with nothing done twice", async () => {
    const { orderId, finding: f } = await shippedButUnfulfilled(null);
    // The queue's own clock, so the retry's back-off can pass without waiting for it.
    let clock = Date.now();
    const queue = createEmbeddedQueue(db, { now: () => new Date(clock) });
    try {
      const worker = { db, queue, gatewayFor: async () => sim.gateway, now: later };
      const bulkJobId = await startBulkJob(db, queue, {
        shop: sim.shop,
        action: "repair",
        targets: [{ id: f.id, label: "drift" }],
      });
      // Shopify makes the move, then its answer never arrives: the worker's attempt fails.
      await sim.control("POST", "/_sim/faults", { appliedThenTimeoutRate: 1 });
      await queue.drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
      expect((await db.bulkJobItem.findFirstOrThrow({ where: { bulkJobId } })).status).toBe(
        "pending",
      );
      await sim.resetFaults();
      clock += 10 * 60_000;
      await queue.drain(QUEUES.bulkItem, (job) => handleBulkItem(worker, job));
      const item = await db.bulkJobItem.findFirstOrThrow({ where: { bulkJobId } });
      expect(item).toMatchObject({ status: "succeeded", error: null });
      await expectRepairedOnce(orderId, f.id);
    } finally {
      await queue.stop();
    }
  });
});

describe("repairing automatically", () => {
  it("repairs drift in the same pass when Settings say automatic, and leaves stuck requests to the merchant", async () => {
    await db.shop.update({ where: { shop: sim.shop }, data: { driftRepair: "automatic" } });
    const drifted = await labOrder();
    await recordLabReport(
      deps(),
      sim.shop,
      { fulfillmentOrderId: drifted.fo.id, status: "shipped" },
      null,
    );
    const stuck = await labOrder();
    await submitRequest(stuck.orderId, stuck.fo.id);
    const result = await scanAndRepair(deps(), sim.shop);
    expect(result).toMatchObject({ stuck: 1, drift: 1, repaired: 1 });
    expect((await sim.orderState(drifted.orderId)).fulfillments).toHaveLength(1);
    expect((await finding("request_not_accepted")).status).toBe("open");
    const decision = await db.decision.findFirstOrThrow({ where: { orderId: drifted.orderId } });
    expect(decision.trigger).toBe("repair");
  });
});

describe("the demo shop", () => {
  it("starts with one stuck request and one drifted order, found by the first pass and never routed again", async () => {
    const catalogue = await sim.control<{
      locations: { id: string; name: string; fulfillmentService: { handle: string } | null }[];
    }>("GET", `/_sim/products?shop=${sim.shop}`);
    await seedDemoConfig(db, sim.shop, catalogue.locations);
    const history = { db, gateway: sim.gateway, control: sim.control, now: () => new Date() };
    const seeded = await seedDemoLabHistory(history, sim.shop);
    expect(seeded).not.toBeNull();

    // The first pass, as the worker runs it when the merchant opens the app: one of each.
    const result = await scanShop(
      deps(() => new Date()),
      sim.shop,
    );
    expect(result).toMatchObject({ stuck: 1, drift: 1 });
    const stuck = await finding("rejected_no_fallback");
    expect(stuck).toMatchObject({ orderId: seeded!.stuck.orderId, labName: "Partner Lab" });
    const drift = await finding("shipped_not_fulfilled");
    expect(drift).toMatchObject({ orderId: seeded!.drift.orderId, labName: "Partner Lab" });
    expect(drift.evidence).toContain("DHL 00340434");

    // The app decided both back then: reconciliation leaves them alone, and a restart adds nothing.
    for (const orderId of [seeded!.stuck.orderId, seeded!.drift.orderId])
      expect(
        (await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "reconciliation" })).status,
      ).toBe("already_decided");
    expect(await seedDemoLabHistory(history, sim.shop)).toBeNull();
    expect(await db.labReport.count()).toBe(1);
  });
});
