// A Step Shopify refused tells the merchant what to do about that refusal: the situation made at
// the simulator, the order routed through signed webhooks and the worker, and the advice read on
// the review queue and the order page in both languages, from the catalogue. What Shopify answers
// in each situation, and with which code, from its Admin API 2026-10 schema and reference:
// - releasing another app's hold: FulfillmentOrderReleaseHoldUserErrorCode INVALID_ACCESS, "The
//   app doesn't have access to release the fulfillment hold" (shopify.dev/docs/api/admin-graphql/
//   2026-07/objects/FulfillmentOrderReleaseHoldUserError, enums/FulfillmentOrderReleaseHoldUser-
//   ErrorCode);
// - a request for a fulfillment order on hold, and a move to a location that does not stock the
//   items: userErrors of type UserError, which has no code (FulfillmentOrderSubmitFulfillment-
//   RequestPayload, and FulfillmentOrderMovePayload up to 2025-10/2026-01; from 2026-04 the move's
//   error type has a code, CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS only, while its
//   mutation lists "The destination location doesn't stock the requested inventory item" among its
//   failures): the app takes the situation from the order as read after the refusal;
// - a move of a fulfillment order staff marked as in progress: the two documents disagree (a code
//   from 2026-04, shopify.dev/docs/api/admin-graphql/2026-07/mutations/fulfillmentOrderMove; none
//   in the payload's reference up to 2026-01, .../2026-01/payloads/FulfillmentOrderMovePayload), so
//   the simulator plays both (readings progressRefusal "coded" and "uncoded") and the advice is
//   the same under each;
// - a request to a fulfillment service that takes none (one that never opted in to fulfillment
//   orders: FulfillmentService.fulfillmentOrdersOptIn, deprecated since "all correctly functioning
//   fulfillment services" have it, shopify.dev/changelog/serving-errors-on-a-fulfillment-orders-
//   opt-out-fulfillment-service-creation-and-modification; or one whose app is gone): its
//   fulfillment orders offer no REQUEST_FULFILLMENT (FulfillmentOrder.supportedActions) and the
//   request's userErrors are UserError, without a code; Shopify's sentence for it is not
//   documented, so the simulator's is its own;
// - a split of items staff refunded meanwhile (the fulfillment order keeps fewer of them):
//   FulfillmentOrderSplitUserErrorCode INVALID_LINE_ITEM_QUANTITY (.../2026-10/enums/
//   FulfillmentOrderSplitUserErrorCode), the simulator asking the quantities against what the
//   fulfillment order still has, as its hold does.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { Rule } from "~/routing";
import { ADVICE_OF_CODE } from "~/routing/refusal-advice";
import { engineSaid, type Words } from "~/routing/words";
import { LOCALES } from "~/i18n/locale";
import { translatorOf } from "~/i18n/i18next.server";
import { readWords, renderWords } from "~/i18n/words";
import { loadQueuePage } from "~/services/queue-page.server";
import { parseQueueFilters } from "~/services/queue-filters.server";
import { loadOrderDetail } from "~/services/order-detail.server";
import { refreshReadModel } from "~/fulfilment/commands.server";
import { gidTail } from "~/routing/snapshot";
import { LAB_RULE, settledOrders } from "../support/settled-orders";
import { withWorkerSuite } from "../support/worker-suite";

const { sim } = withWorkerSuite();
const { setRules, settle, racing, studio } = settledOrders(sim);
const HOUR = 3_600_000;

beforeEach(async () => {
  await sim.control("POST", "/_sim/readings", { progressRefusal: "coded" });
});

function rule(actions: Rule["actions"], conditions: Rule["conditions"] = []): Rule {
  return {
    id: "rule-under-test",
    name: "The rule under test",
    enabled: true,
    position: 0,
    match: "all",
    lines: "any",
    keepChecking: false,
    conditions,
    actions,
  };
}

/**
 * What the merchant reads about one fulfillment order, in each language: its reason on the review
 * queue and on the order page, and the advice the catalogue has for the refusal's code.
 */
async function readAbout(orderId: string, fulfillmentOrderId: string, code: string) {
  const filters = parseQueueFilters(new URLSearchParams({ status: "needs_attention" }));
  if (!filters.ok) throw new Error(JSON.stringify(filters.errors));
  const page = await loadQueuePage(db, sim.shop, filters.value, { now: new Date() });
  const row = page.rows.find((r) => r.fulfillmentOrderId === fulfillmentOrderId);
  const detail = await loadOrderDetail(
    { db, gateway: sim.gateway },
    { shop: sim.shop, orderNumber: gidTail(orderId), now: new Date() },
  );
  const card = detail?.fulfillmentOrders.find((f) => f.id === fulfillmentOrderId);
  const read = [];
  for (const locale of LOCALES) {
    const t = await translatorOf(locale);
    read.push({
      locale,
      queue: row?.reason ? renderWords(t, row.reason) : null,
      orderPage: card?.reason ? renderWords(t, card.reason) : null,
      advice: renderWords(t, engineSaid(`route.advice.${ADVICE_OF_CODE[code]}`)),
      general: renderWords(t, engineSaid("route.advice.general")),
    });
  }
  return read;
}

/** A paid order of one `sku` at the Studio, and a rule that moves that SKU to the Partner Lab. */
async function movedToTheLab(sku: string) {
  const lab = await sim.location("Partner Lab");
  await setRules(
    rule(
      [{ type: "move", locationId: lab.id }],
      [{ field: "sku", operator: "equals", value: sku }],
    ),
  );
  const created = await sim.createOrder({ lineItems: [{ sku, quantity: 1 }], payment: "paid" });
  return { created, fulfillmentOrderId: created.fulfillmentOrderIds[0]! };
}

/** A paid order of a lustre print, which Shopify assigns to the Partner Lab, and the lab rule. */
async function labPrint() {
  await setRules(LAB_RULE);
  const created = await sim.createOrder({
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
    payment: "paid",
  });
  return { created, fulfillmentOrderId: created.fulfillmentOrderIds[0]! };
}

/** The refusal as the fulfillment order's record keeps it. */
async function refusalOf(fulfillmentOrderId: string) {
  const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
    where: { shop: sim.shop, fulfillmentOrderId },
  });
  expect(record.outcome).toBe("needs_attention");
  return readWords(record.reason!) as Words;
}

async function expectAdvice(orderId: string, fulfillmentOrderId: string, code: string) {
  expect(await refusalOf(fulfillmentOrderId)).toMatchObject({
    key: "engine.route.stepRefused",
    params: { code },
  });
  for (const read of await readAbout(orderId, fulfillmentOrderId, code)) {
    expect(read.queue, read.locale).toContain(read.advice);
    expect(read.queue, read.locale).not.toContain(read.general);
    expect(read.orderPage, read.locale).toBe(read.queue);
  }
}

describe("a Step Shopify refused says what to do about that refusal", () => {
  it("a release of a hold another app placed: INVALID_ACCESS, release it in that app or admin", async () => {
    await setRules(rule([{ type: "release_holds", placedBy: "anyone" }]));
    const created = await sim.createOrder({
      lineItems: [{ sku: "MOUNT-A4", quantity: 1 }],
      payment: "paid",
    });
    const fulfillmentOrderId = created.fulfillmentOrderIds[0]!;
    // A fraud app holds it before the app routes the order.
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/app-hold`,
      { app: "fraud-guard", appTitle: "Fraud Guard", reason: "HIGH_RISK_OF_FRAUD" },
    );
    await settle();

    // Shopify kept the other app's hold; the merchant is told whose it is and where to release it.
    const state = await sim.orderState(created.orderId);
    expect(state.fulfillmentOrders[0]!.holds).toHaveLength(1);
    await expectAdvice(created.orderId, fulfillmentOrderId, "INVALID_ACCESS");
    // The hold's webhooks are a refresh job each, which may run side by side: none hides it.
    const deps = { db, gateway: sim.gateway, now: () => new Date() };
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => refreshReadModel(deps, sim.shop, created.orderId)),
    );
    await expectAdvice(created.orderId, fulfillmentOrderId, "INVALID_ACCESS");
  });

  it("a request for a fulfillment order staff held in admin meanwhile: release that hold, then Route again", async () => {
    const { created, fulfillmentOrderId } = await labPrint();
    // Staff hold it in admin between the app's read and its request to the lab; the hold's
    // webhooks are an hour late (Shopify retries a delivery for hours).
    const race = racing(/\bfulfillmentOrderSubmitFulfillmentRequest\s*\(/, () =>
      sim.control(
        "POST",
        `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/staff-hold`,
        { reason: "INCORRECT_ADDRESS", deliver: { delayMs: HOUR } },
      ),
    );
    await expect(settle(race.deps, { idleMs: 50 })).rejects.toThrow(/webhooks on their way/);
    expect(race.happened()).toBe(true);
    expect((await sim.orderState(created.orderId)).fulfillmentOrders[0]).toMatchObject({
      status: "ON_HOLD",
      requestStatus: "UNSUBMITTED",
    });
    await expectAdvice(created.orderId, fulfillmentOrderId, "heldMeanwhile");

    // Once the hold's webhooks arrive, the queue shows the staff's hold as Shopify has it.
    await sim.control("POST", "/_sim/clock", { advanceMs: HOUR });
    await settle();
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({
      where: { shop: sim.shop, fulfillmentOrderId },
    });
    expect(record).toMatchObject({ outcome: "held", holdReason: "INCORRECT_ADDRESS" });
  });

  it("a move to a location that does not stock the items: stock them there or change the rule", async () => {
    // Mounts are stocked at the Studio only. Shopify's locationsForMove says so before the move is
    // sent (ADR 094), so the advice comes with Shopify's words rather than after a refused Step.
    const { created, fulfillmentOrderId } = await movedToTheLab("MOUNT-A4");
    await settle();

    const fo = (await sim.orderState(created.orderId)).fulfillmentOrders[0]!;
    expect(fo.location.id).toBe((await studio()).id);
    const refusal = await refusalOf(fulfillmentOrderId);
    expect(refusal).toMatchObject({
      key: "engine.attention.moveRefusedByShopify",
      params: { location: "Studio", to: "Partner Lab" },
    });
    const read = await readAbout(created.orderId, fulfillmentOrderId, "destinationCannotTake");
    for (const { locale, queue, orderPage, general } of read) {
      const t = await translatorOf(locale);
      expect(queue, locale).toBe(renderWords(t, refusal));
      // What to do: stock the products at the lab or change the rule, then Route again.
      expect(queue, locale).toMatch(
        locale === "de" ? /ändere den Standort in der Regel/ : /change the location in the rule/,
      );
      expect(queue, locale).not.toContain(general);
      expect(orderPage, locale).toBe(queue);
    }
  });

  for (const reading of ["coded", "uncoded"] as const)
    it(`a move of a fulfillment order staff marked as in progress meanwhile (${reading}): mark it as open first`, async () => {
      await sim.control("POST", "/_sim/readings", { progressRefusal: reading });
      // Stocked at the Studio and at the Partner Lab alike.
      const { created, fulfillmentOrderId } = await movedToTheLab("PRINT-MATTE-A4");
      // Staff start packing it at the Studio between the app's read and its move.
      const race = racing(/\bfulfillmentOrderMove\s*\(/, () =>
        sim.control(
          "POST",
          `/_sim/fulfillment-orders/${encodeURIComponent(fulfillmentOrderId)}/report-progress`,
          {},
        ),
      );
      await settle(race.deps);
      expect(race.happened()).toBe(true);

      expect((await sim.orderState(created.orderId)).fulfillmentOrders[0]).toMatchObject({
        status: "IN_PROGRESS",
        location: { id: (await studio()).id },
      });
      await expectAdvice(
        created.orderId,
        fulfillmentOrderId,
        reading === "coded"
          ? "CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS"
          : "markedInProgress",
      );
    });

  it("a request to a lab that stopped taking requests between the read and the request: check its app, or fulfill another way", async () => {
    const { created, fulfillmentOrderId } = await labPrint();
    const race = racing(/\bfulfillmentOrderSubmitFulfillmentRequest\s*\(/, () =>
      sim.control("POST", "/_sim/fulfillment-services/partner-lab/requests", {
        shop: sim.shop,
        taken: false,
      }),
    );
    await settle(race.deps);
    expect(race.happened()).toBe(true);

    expect((await sim.orderState(created.orderId)).fulfillmentOrders[0]).toMatchObject({
      location: { name: "Partner Lab" },
      requestStatus: "UNSUBMITTED",
    });
    await expectAdvice(created.orderId, fulfillmentOrderId, "requestsNotTaken");
  });

  it("a split of items staff refunded meanwhile: INVALID_LINE_ITEM_QUANTITY, Route again on the quantities as they are", async () => {
    // Mounts are split off the Studio's fulfillment order, two of them beside a print.
    const mounts = { field: "sku", operator: "starts_with", value: "MOUNT-" } as const;
    await setRules(rule([{ type: "split", by: "line_condition", conditions: [mounts] }]));
    const lines = { "PRINT-LUSTRE-A4": 1, "MOUNT-A4": 2 };
    const created = await sim.createOrder({
      lineItems: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
      payment: "paid",
    });
    const fulfillmentOrderId = created.fulfillmentOrderIds[0]!;
    // Staff refund one of the two mounts in admin between the app's read and its split.
    const race = racing(/\bfulfillmentOrderSplit\s*\(/, () =>
      sim.control("POST", `/_sim/orders/${encodeURIComponent(created.orderId)}/staff-refund`, {
        lines: [{ sku: "MOUNT-A4", quantity: 1 }],
      }),
    );
    await settle(race.deps);
    expect(race.happened()).toBe(true);

    const state = await sim.orderState(created.orderId);
    expect(state.fulfillmentOrders).toHaveLength(1);
    expect(state.fulfillmentOrders[0]!.status).toBe("OPEN");
    await expectAdvice(created.orderId, fulfillmentOrderId, "INVALID_LINE_ITEM_QUANTITY");
  });
});
