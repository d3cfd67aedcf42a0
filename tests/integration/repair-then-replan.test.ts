// A stuck request the merchant re-routed stays where the repair put it when a lab later answers on
// the same order and the rules plan the whole order again, until the merchant chooses Route again;
// and the lab a repair took work away from is not where the rules' fallback or the next repair
// send it back: driven as Shopify drives it, with signed webhooks from the simulator, the inbox,
// the worker, the stuck scan and the repair.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { scanShop } from "~/fulfilment/drift.server";
import { runRepair } from "~/fulfilment/repair.server";
import { runCommand } from "~/fulfilment/commands.server";
import { loadOrderBlock } from "~/services/extension-api.server";
import type { Rule } from "~/routing";
import { readWordsList, renderWords } from "~/i18n/words";
import type { Words } from "~/routing/words";
import { translatorOf } from "~/i18n/i18next.server";
import { inEnglish } from "../support/integration";
import { addPartnerLab } from "../support/partner-lab";
import { settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite({ shop: { defaultMode: "manual" } });
const { setRules, settle, lab, stepKinds, trace } = settledOrders(sim);

const HOUR = 3600_000;

/**
 * "Prints go to Partner Lab" (a move there and a request), and A2 prints apart from the rest: an
 * order of an A3 and an A2 print has two fulfillment orders at Partner Lab, each asked of it.
 */
async function labRules() {
  const partnerLab = await sim.location("Partner Lab");
  const apart: Rule = {
    id: "rule-a2-apart",
    name: "A2 prints on their own",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: true,
    conditions: [{ field: "variant_option", optionName: "Size", operator: "equals", value: "A2" }],
    actions: [{ type: "split", by: "line_condition" }],
  };
  const toLab: Rule = {
    id: "rule-prints-to-partner-lab",
    name: "Prints go to Partner Lab",
    enabled: true,
    position: 1,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
    actions: [
      { type: "move", locationId: partnerLab.id },
      { type: "submit_fulfilment_request", message: "Lustre, no border" },
    ],
  };
  await setRules(apart, toLab);
}

/** Where each open fulfillment order of the order is, with its request status. */
async function openWork(orderId: string) {
  const state = await sim.orderState(orderId);
  return state.fulfillmentOrders
    .filter((fo) => fo.status !== "CLOSED" && fo.status !== "CANCELLED")
    .map((fo) => ({
      id: fo.id,
      at: fo.location.name,
      request: fo.requestStatus,
      skus: fo.lineItems.map((l) => l.sku),
    }));
}

describe("a re-routed stuck request, then the lab answers on the same order", () => {
  for (const answer of ["accept", "reject", "close", "fulfill"] as const) {
    it(`the lab's ${answer} on the order's other fulfillment order plans the order again: the re-routed work stays at the Studio and no request goes to the stuck lab again`, async () => {
      // GIVEN an order of an A3 and an A2 print, both asked of Partner Lab on two fulfillment orders
      await labRules();
      const created = await sim.createOrder({
        lineItems: [
          { sku: "PRINT-LUSTRE-A3", quantity: 1 },
          { sku: "PRINT-LUSTRE-A2", quantity: 1 },
        ],
        payment: "paid",
      });
      const orderId = created.orderId;
      await settle();
      const asked = await openWork(orderId);
      expect(asked.map((w) => [w.at, w.request, w.skus])).toEqual([
        ["Partner Lab", "SUBMITTED", ["PRINT-LUSTRE-A3"]],
        ["Partner Lab", "SUBMITTED", ["PRINT-LUSTRE-A2"]],
      ]);
      const a3 = asked[0]!.id;
      const a2 = asked[1]!.id;

      // WHEN a day and more later the A3's request is stuck and the merchant re-routes it by its
      // default (the Studio: the shop has no other lab)
      const later = () => new Date(Date.now() + 26 * HOUR);
      await scanShop({ db, gateway: sim.gateway, now: later }, sim.shop);
      const finding = await db.finding.findFirstOrThrow({
        where: { shop: sim.shop, kind: "request_not_accepted", fulfillmentOrderId: a3 },
      });
      expect(JSON.parse(finding.repair!)).toMatchObject({ to: { name: "Studio" }, then: "leave" });
      const repaired = await runRepair(
        { db, gateway: sim.gateway, now: later },
        sim.shop,
        finding.id,
        {
          actor: "Merchant",
        },
      );
      expect(repaired.status).toBe("repaired");
      await settle();
      const requestsBefore = (await stepKinds(orderId)).filter(
        (k) => k === "fulfillmentOrderSubmitFulfillmentRequest",
      ).length;
      const home = (await openWork(orderId)).find((w) => w.at === "Studio")!;
      expect(home).toMatchObject({ request: "UNSUBMITTED", skus: ["PRINT-LUSTRE-A3"] });

      // AND Partner Lab then answers on the A2's fulfillment order (its signed webhook, the worker)
      if (answer === "close" || answer === "fulfill") {
        await lab(a2, "accept");
        await settle();
      }
      await lab(a2, answer, answer === "reject" ? { message: "Out of A2 paper" } : {});
      await settle();

      // THEN the A3 is still at the Studio, open for the merchant, and nothing was asked of the lab again
      expect((await openWork(orderId)).find((w) => w.skus.includes("PRINT-LUSTRE-A3"))).toEqual(
        home,
      );
      const kinds = await stepKinds(orderId);
      expect(kinds.filter((k) => k === "fulfillmentOrderSubmitFulfillmentRequest")).toHaveLength(
        requestsBefore,
      );
      expect(kinds.filter((k) => k === "fulfillmentOrderMove")).toHaveLength(1);
      expect(await trace(orderId)).not.toMatch(/Move from “Studio”/);
    });
  }
});

/** The A3 and A2 order of labRules, asked of Partner Lab; the A3's request stuck and re-routed to the Studio. */
async function repairedToTheStudio() {
  await labRules();
  const created = await sim.createOrder({
    lineItems: [
      { sku: "PRINT-LUSTRE-A3", quantity: 1 },
      { sku: "PRINT-LUSTRE-A2", quantity: 1 },
    ],
    payment: "paid",
  });
  const orderId = created.orderId;
  await settle();
  const [a3, a2] = (await openWork(orderId)).map((w) => w.id);
  const later = () => new Date(Date.now() + 26 * HOUR);
  await scanShop({ db, gateway: sim.gateway, now: later }, sim.shop);
  const finding = await db.finding.findFirstOrThrow({
    where: { shop: sim.shop, kind: "request_not_accepted", fulfillmentOrderId: a3! },
  });
  const repaired = await runRepair({ db, gateway: sim.gateway, now: later }, sim.shop, finding.id, {
    actor: "Merchant",
  });
  expect(repaired.status).toBe("repaired");
  await settle();
  return { orderId, a2: a2! };
}

const requests = (kinds: string[]) =>
  kinds.filter((k) => k === "fulfillmentOrderSubmitFulfillmentRequest").length;
const moves = (kinds: string[]) => kinds.filter((k) => k === "fulfillmentOrderMove").length;

describe("Route again after a repair", () => {
  it("hands the repaired work back to the rules: it goes to Partner Lab as the rule says, once, the trace names the repair, a later lab answer does not move it again, and a repair after it holds again", async () => {
    // GIVEN the A3 re-routed to the Studio because Partner Lab never answered
    const { orderId, a2 } = await repairedToTheStudio();
    const before = await stepKinds(orderId);
    expect(moves(before)).toBe(1);
    // The order block's Route again says the repair may be undone.
    const block = await loadOrderBlock(
      { db, gateway: sim.gateway, now: () => new Date() },
      sim.shop,
      orderId.slice(orderId.lastIndexOf("/") + 1),
    );
    expect(block!.actions.find((a) => a.action === "reroute")?.confirm).toBe(
      "A repair from Stuck and drift put this order’s work at “Studio”. Route again lets your rules decide again: if they choose another location, they move the work there and the repair is undone.",
    );

    // WHEN the merchant chooses Route again (the order block, the bulk action and Flow's action all run this command)
    const result = await runCommand(
      { db, gateway: sim.gateway, now: () => new Date() },
      { shop: sim.shop, actor: "Merchant" },
      { action: "reroute", orderId },
    );
    expect(result.ok).toBe(true);
    await settle();

    // THEN the rule "Prints go to Partner Lab" decides the A3 again: moved there and asked of it, once
    const a3 = (await openWork(orderId)).find((w) => w.skus.includes("PRINT-LUSTRE-A3"))!;
    expect(a3).toMatchObject({ at: "Partner Lab", request: "SUBMITTED" });
    const after = await stepKinds(orderId);
    expect(moves(after)).toBe(2);
    expect(requests(after)).toBe(requests(before) + 1);
    expect(await trace(orderId)).toMatch(
      /Route again: the rules decide again, so the repair of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(to “Studio”\) no longer holds\./,
    );
    // The block no longer warns: no repair holds the order's work now.
    const reloaded = await loadOrderBlock(
      { db, gateway: sim.gateway, now: () => new Date() },
      sim.shop,
      orderId.slice(orderId.lastIndexOf("/") + 1),
    );
    expect(reloaded!.actions.find((a) => a.action === "reroute")?.confirm).toBeNull();

    // AND Partner Lab's later answer on the A2 plans the order again without moving anything back
    await lab(a2, "accept");
    await settle();
    expect((await openWork(orderId)).find((w) => w.skus.includes("PRINT-LUSTRE-A3"))).toEqual(a3);
    const last = await stepKinds(orderId);
    expect([moves(last), requests(last)]).toEqual([2, requests(after)]);

    // AND when Partner Lab stands still again and the merchant repairs it again, that repair holds
    const twoDaysOn = () => new Date(Date.now() + 52 * HOUR);
    await scanShop({ db, gateway: sim.gateway, now: twoDaysOn }, sim.shop);
    const again = await db.finding.findFirstOrThrow({
      where: { shop: sim.shop, kind: "request_not_accepted", fulfillmentOrderId: a3.id },
    });
    expect(
      await runRepair({ db, gateway: sim.gateway, now: twoDaysOn }, sim.shop, again.id, {
        actor: "Merchant",
      }),
    ).toMatchObject({ status: "repaired" });
    await settle();
    await lab(a2, "fulfill");
    await settle();
    expect((await openWork(orderId)).find((w) => w.skus.includes("PRINT-LUSTRE-A3"))).toMatchObject(
      { at: "Studio", request: "UNSUBMITTED" },
    );
  });
});

describe("the lab a repair chose rejects the work", () => {
  // The one-click default and a location chosen in the picker (ADR 089) both record where the work
  // stood still.
  it.each(["the default re-route", "a location the merchant chose"] as const)(
    "after %s, the rule's fallback does not send it back to the lab it was repaired away from, the order waits for the merchant with the reason, and the next re-route's default is not that lab either",
    async (how) => {
      // GIVEN prints asked of the lab they are at, falling back to Partner Lab if a lab rejects them
      const partnerLab = await sim.location("Partner Lab");
      const fallback: Rule = {
        id: "rule-prints-to-the-lab",
        name: "Prints go to the lab",
        enabled: true,
        position: 0,
        match: "all",
        lines: "any",
        keepChecking: false,
        conditions: [{ field: "product_type", operator: "equals", value: "Print" }],
        actions: [
          {
            type: "submit_fulfilment_request",
            onRejected: { then: "move", locationId: partnerLab.id },
          },
        ],
      };
      await setRules(fallback);
      // AND an A3 Shopify sent to Partner Lab (the Studio has none), asked of it and never answered
      const created = await sim.createOrder({
        lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
        payment: "paid",
      });
      const orderId = created.orderId;
      await settle();
      expect((await openWork(orderId)).map((w) => [w.at, w.request])).toEqual([
        ["Partner Lab", "SUBMITTED"],
      ]);
      // AND the merchant then took on Westside Lab, the default re-route (another lab first)
      await addPartnerLab(sim, { name: "Westside Lab", sku: "PRINT-LUSTRE-A3", available: 10 });
      const later = () => new Date(Date.now() + 26 * HOUR);
      const deps = { db, gateway: sim.gateway, now: later };
      await scanShop(deps, sim.shop);
      const stuck = await db.finding.findFirstOrThrow({
        where: { shop: sim.shop, kind: "request_not_accepted" },
      });
      expect(JSON.parse(stuck.repair!)).toMatchObject({ to: { name: "Westside Lab" } });
      const westside = await sim.location("Westside Lab");
      const chosen = how === "a location the merchant chose" ? { locationId: westside.id } : {};
      expect(
        await runRepair(deps, sim.shop, stuck.id, { actor: "Merchant", ...chosen }),
      ).toMatchObject({ status: "repaired" });
      await settle();
      const atWestside = (await openWork(orderId))[0]!;
      expect(atWestside).toMatchObject({ at: "Westside Lab", request: "SUBMITTED" });
      const before = await stepKinds(orderId);

      // WHEN Westside Lab rejects it (its signed webhook, the worker)
      await lab(atWestside.id, "reject", { message: "Out of lustre paper" });
      await settle();

      // THEN it is not moved back to Partner Lab nor asked of it: it waits for the merchant, who is told why
      expect(await openWork(orderId)).toEqual([{ ...atWestside, request: "REJECTED" }]);
      const kinds = await stepKinds(orderId);
      expect([moves(kinds), requests(kinds)]).toEqual([moves(before), requests(before)]);
      expect(await trace(orderId)).toContain(
        "“Westside Lab” rejected the fulfillment request. Rule “Prints go to the lab” falls back to “Partner Lab”, but a repair took this order’s work away from there because it stood still, and no other location is known to make it: choose where it goes on Stuck and drift.",
      );

      // AND the rejection's re-route on Stuck and drift offers the Studio, not Partner Lab again
      await scanShop(deps, sim.shop);
      const rejected = await db.finding.findFirstOrThrow({
        where: { shop: sim.shop, kind: "rejected_no_fallback" },
      });
      expect(JSON.parse(rejected.repair!)).toMatchObject({ to: { name: "Studio" }, then: "leave" });
    },
  );
});

describe("Route again after a rejected request was re-routed (ADR 099)", () => {
  it("the trace tells one story: the decision moves the work to Partner Lab and says it is there because of that move, never “Already at” beside it", async () => {
    // GIVEN "Lab prints go to Partner Lab" (a move there and a request, no fallback), and an A3
    // Shopify sent to Partner Lab (the Studio has none), asked of it
    const partnerLab = await sim.location("Partner Lab");
    await setRules({
      id: "rule-lab-prints",
      name: "Lab prints go to Partner Lab",
      enabled: true,
      position: 0,
      match: "all",
      lines: "any",
      keepChecking: false,
      conditions: [{ field: "sku", operator: "equals", value: "PRINT-LUSTRE-A3" }],
      actions: [
        { type: "move", locationId: partnerLab.id },
        { type: "submit_fulfilment_request", notifyCustomer: false },
      ],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
      payment: "paid",
    });
    await settle();
    const [asked] = await openWork(orderId);
    expect(asked).toMatchObject({ at: "Partner Lab", request: "SUBMITTED" });

    // AND the lab rejects it (its signed webhook, the worker)
    await lab(asked!.id, "reject", { message: "Out of lustre paper" });
    await settle();
    // AND the merchant's Check now finds the rejection, and its Re-route puts the A3 at the Studio
    const deps = { db, gateway: sim.gateway, now: () => new Date() };
    await scanShop(deps, sim.shop);
    const rejected = await db.finding.findFirstOrThrow({
      where: { shop: sim.shop, kind: "rejected_no_fallback", orderId },
    });
    expect(await runRepair(deps, sim.shop, rejected.id, { actor: "Merchant" })).toMatchObject({
      status: "repaired",
    });
    await settle();
    expect((await openWork(orderId)).map((w) => w.at)).toEqual(["Studio"]);

    // WHEN the merchant chooses Route again
    expect(
      (
        await runCommand(
          deps,
          { shop: sim.shop, actor: "Merchant" },
          { action: "reroute", orderId },
        )
      ).ok,
    ).toBe(true);
    await settle();

    // THEN the A3 is at Partner Lab again and asked of it
    expect(await openWork(orderId)).toMatchObject([{ at: "Partner Lab", request: "SUBMITTED" }]);
    // AND Route again's decision lists the move, and its trace says the work is at Partner Lab
    // because this decision moved it there: one story, not "Already at" beside the move
    const again = await db.decision.findFirstOrThrow({
      where: { orderId, cause: "route_again" },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    const steps = await Promise.all(
      again.steps
        .filter((s) => s.status === "succeeded")
        .map((s) => inEnglish((JSON.parse(s.input) as { summary: Words }).summary)),
    );
    expect(steps[0]).toBe("Move the fulfillment order from “Studio” to “Partner Lab”");
    const said = await Promise.all(readWordsList(again.explanation).map(inEnglish));
    expect(said).toContain(
      "Now at “Partner Lab”, where rule “Lab prints go to Partner Lab” sends it: this decision moved it there from “Studio”.",
    );
    expect(said.filter((line) => line.startsWith("Already at"))).toEqual([]);
    // AND in German the same story
    const german = await translatorOf("de");
    expect(readWordsList(again.explanation).map((w) => renderWords(german, w))).toContain(
      "Jetzt bei „Partner Lab“, wohin Regel „Lab prints go to Partner Lab“ ihn schickt: Diese Entscheidung hat ihn von „Studio“ dorthin verschoben.",
    );
  });
});
