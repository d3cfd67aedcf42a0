// A stuck request the merchant re-routed stays where the repair put it when a lab later answers on
// the same order and the rules plan the whole order again: driven as Shopify drives it, with
// signed webhooks from the simulator, the inbox, the worker, the stuck scan and the repair.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { scanShop } from "~/fulfilment/drift.server";
import { runRepair } from "~/fulfilment/repair.server";
import type { Rule } from "~/routing";
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
