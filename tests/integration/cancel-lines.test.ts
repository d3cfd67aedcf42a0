// Cancelling some lines of an order against the shop simulator, as the order screen asks for it:
// refundCreate takes the chosen quantities off (restocked where they were to ship from, or not),
// gives money back to the original payment or as store credit (in full or a set amount), tells the
// customer or not; the app's holds and unanswered lab requests go first, work a lab accepted
// refuses it, and Shopify's refusals come back with the part of the form they are about.
import { describe, expect, it } from "vitest";
import { routeOrder } from "~/fulfilment/route-order.server";
import { cancelLines, parseCancelLinesForm } from "~/fulfilment/cancel-lines.server";
import { translatorOf } from "~/i18n/i18next.server";
import { merchantDid } from "~/routing/words";
import { asStoredWords, readWordsList, renderWords } from "~/i18n/words";
import { saveRule } from "../support/integration";
import { cancelLinesForm, withCancelShop } from "../support/cancel-forms";
import type { SimOrderState } from "../support/shop-simulator";
import { cancelCheckOf } from "~/fulfilment/cancel-check.server";
import { cancelLinesBlock } from "~/routing/cancel-check";

const { sim, db, deps, merchant } = withCancelShop();
const lineOf = (order: SimOrderState, sku: string) => order.lineItems.find((l) => l.sku === sku)!;

describe("cancelling some lines of an order", () => {
  it("cancels one of three prints, restocks it at the Studio, refunds its price to the original payment and tells the customer; the review hold on the rest stays", async () => {
    await saveRule(db, sim.shop, {
      name: "Prints after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const before = await sim.orderState(orderId);
    const line = lineOf(before, "PRINT-MATTE-A4");
    const shelf = await sim.stock("PRINT-MATTE-A4", "Studio");

    const result = await cancelLines(
      deps(),
      merchant(),
      orderId,
      cancelLinesForm({
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        amountMode: "full",
        restock: "on",
        notifyCustomer: "on",
      }),
    );

    expect(result).toEqual({
      ok: true,
      orderName: name,
      items: 1,
      refunded: Number(line.price).toFixed(2),
      currency: "EUR",
      routedAgain: false,
    });
    const after = await sim.orderState(orderId);
    expect(lineOf(after, "PRINT-MATTE-A4").currentQuantity).toBe(2);
    expect(after.financialStatus).toBe("PARTIALLY_REFUNDED");
    const refund = after.transactions.filter((t) => t.kind === "REFUND");
    expect(refund.map((t) => Number(t.amount))).toEqual([Number(line.price)]);
    expect(after.refunds).toEqual([
      {
        id: expect.any(String),
        createdAt: expect.any(String),
        transactionIds: [expect.any(String)],
        notify: true,
        note: "Canceled items (Customer changed or canceled order)",
        lines: [
          {
            lineItemId: line.id,
            quantity: 1,
            restockType: "CANCEL",
            locationId: after.fulfillmentOrders[0]!.location.id,
          },
        ],
      },
    ]);
    expect(after.fulfillmentOrders[0]).toMatchObject({ status: "ON_HOLD" });
    expect(after.fulfillmentOrders[0]!.lineItems[0]!.remainingQuantity).toBe(2);
    expect(await sim.stock("PRINT-MATTE-A4", "Studio")).toEqual({
      available: shelf.available + 1,
      committed: shelf.committed - 1,
    });
    const steps = await db.step.findMany({
      where: { decision: { orderId, trigger: "merchant" } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([["refundCreate", "succeeded"]]);
    // Why, as the decision trace says it to a German admin (the catalogue's words, not English).
    const german = await translatorOf("de");
    const why = asStoredWords(
      (JSON.parse(steps[0]!.input) as { why?: { text?: unknown } }).why?.text,
    );
    expect(why && renderWords(german, why)).toBe(
      renderWords(german, merchantDid("linesCanceled", "Lena")),
    );
  });

  it("sends refundCreate with the Step's idempotency key (required since 2026-04): the same form sent twice, a double click, cancels and refunds once", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
    const request = cancelLinesForm({
      [`line:${line.id}`]: "1",
      reason: "CUSTOMER",
      refund: "original",
      restock: "on",
    });

    const [first, second] = await Promise.all([
      cancelLines(deps(), merchant(), orderId, request),
      cancelLines(deps(), merchant(), orderId, request),
    ]);

    expect(first).toMatchObject({ ok: true, refunded: Number(line.price).toFixed(2) });
    expect(second).toMatchObject({ ok: true });
    const after = await sim.orderState(orderId);
    expect(after.refunds).toHaveLength(1);
    expect(after.transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
    expect(lineOf(after, "PRINT-MATTE-A4").currentQuantity).toBe(2);
  });

  it("cancels a whole line without restock and gives a set amount as store credit; the app's hold on the fulfillment order it empties comes off first", async () => {
    await saveRule(db, sim.shop, {
      name: "Digital after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
    const shelf = await sim.stock("PRINT-MATTE-A4", "Studio");

    const result = await cancelLines(
      deps(),
      merchant(),
      orderId,
      cancelLinesForm({
        [`line:${line.id}`]: "2",
        reason: "INVENTORY",
        refund: "store_credit",
        amountMode: "amount",
        amount: "5",
        staffNote: "Paper ran out",
      }),
    );

    expect(result).toMatchObject({ ok: true, items: 2, refunded: "5.00" });
    const after = await sim.orderState(orderId);
    expect(after.transactions.filter((t) => t.kind === "REFUND")).toEqual([
      expect.objectContaining({ amount: "5.00", gateway: "shopify_store_credit" }),
    ]);
    expect(after.refunds[0]).toMatchObject({
      notify: false,
      note: "Canceled items (Items unavailable): Paper ran out",
      lines: [{ quantity: 2, restockType: "NO_RESTOCK", locationId: null }],
    });
    expect(after.fulfillmentOrders[0]).toMatchObject({ status: "CLOSED", holds: [] });
    expect(await sim.stock("PRINT-MATTE-A4", "Studio")).toEqual({
      available: shelf.available,
      committed: shelf.committed - 2,
    });
    const steps = await db.step.findMany({
      where: { decision: { orderId, trigger: "merchant" } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["fulfillmentOrderReleaseHold", "succeeded"],
      ["refundCreate", "succeeded"],
    ]);
  });

  it("withdraws a request the lab has not answered, cancels one print, and the rules send the rest to the lab again", async () => {
    await saveRule(db, sim.shop, {
      name: "Lab prints to the lab",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "submit_fulfilment_request", notifyCustomer: false }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 2 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const sent = await sim.orderState(orderId);
    expect(sent.fulfillmentOrders.map((fo) => fo.requestStatus)).toEqual(["SUBMITTED"]);
    const line = lineOf(sent, "LAB-METALLIC-30x45");

    const result = await cancelLines(
      deps(),
      merchant(),
      orderId,
      cancelLinesForm({
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        restock: "on",
      }),
    );

    expect(result).toMatchObject({ ok: true, items: 1, routedAgain: true });
    const after = await sim.orderState(orderId);
    expect(lineOf(after, "LAB-METALLIC-30x45").currentQuantity).toBe(1);
    const live = after.fulfillmentOrders.filter((fo) => fo.status !== "CLOSED");
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ requestStatus: "SUBMITTED" });
    expect(live[0]!.lineItems[0]!.remainingQuantity).toBe(1);
    // The decision that sent the rest again says why in the reader's language, not fixed English.
    const again = await db.decision.findMany({
      where: { orderId, trigger: "merchant" },
      orderBy: { createdAt: "asc" },
    });
    const german = await translatorOf("de");
    expect(renderWords(german, readWordsList(again[again.length - 1]!.explanation)[0]!)).toBe(
      german("engine.why.linesCanceled"),
    );
    expect(german("engine.why.linesCanceled")).toMatch(/^Artikel wurden storniert/);
  });

  it("refuses while the lab holds accepted work on the lines, asks it once to let go, and cancels after it does", async () => {
    await saveRule(db, sim.shop, {
      name: "Lab prints to the lab",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "submit_fulfilment_request", notifyCustomer: false }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const state = await sim.orderState(orderId);
    const labFo = state.fulfillmentOrders[0]!;
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(labFo.id)}/service-response`,
      { action: "accept" },
    );
    const request = cancelLinesForm({
      [`line:${lineOf(state, "LAB-METALLIC-30x45").id}`]: "1",
      reason: "CUSTOMER",
      refund: "original",
      restock: "on",
    });

    const refused = await cancelLines(deps(), merchant(), orderId, request);
    expect(refused).toEqual({
      ok: false,
      refusal: { code: "labAccepted", services: "Partner Lab", asked: true },
    });
    let now = await sim.orderState(orderId);
    expect(now.transactions.some((t) => t.kind === "REFUND")).toBe(false);
    expect(lineOf(now, "LAB-METALLIC-30x45").currentQuantity).toBe(1);
    expect(now.fulfillmentOrders[0]!.requestStatus).toBe("CANCELLATION_REQUESTED");

    const again = await cancelLines(deps(), merchant(), orderId, request);
    expect(again).toMatchObject({ ok: false, refusal: { code: "labAccepted", asked: false } });
    expect(
      await db.step.count({
        where: { kind: "fulfillmentOrderSubmitCancellationRequest", decision: { orderId } },
      }),
    ).toBe(1);

    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(labFo.id)}/service-response`,
      { action: "accept-cancellation" },
    );
    expect(await cancelLines(deps(), merchant(), orderId, request)).toMatchObject({ ok: true });
    now = await sim.orderState(orderId);
    expect(lineOf(now, "LAB-METALLIC-30x45").currentQuantity).toBe(0);
    // The print's price comes back; the shipping paid stays (a partial cancel refunds lines).
    expect(now.financialStatus).toBe("PARTIALLY_REFUNDED");
    expect(now.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([
      lineOf(now, "LAB-METALLIC-30x45").price,
    ]);
  });

  it("answers the lab's refusal to let go with its name, and changes nothing", async () => {
    await saveRule(db, sim.shop, {
      name: "Lab prints to the lab",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "submit_fulfilment_request", notifyCustomer: false }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "LAB-METALLIC-30x45", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const state = await sim.orderState(orderId);
    const fo = encodeURIComponent(state.fulfillmentOrders[0]!.id);
    const request = cancelLinesForm({
      [`line:${lineOf(state, "LAB-METALLIC-30x45").id}`]: "1",
      reason: "CUSTOMER",
      refund: "none",
    });
    await sim.control("POST", `/_sim/fulfillment-orders/${fo}/service-response`, {
      action: "accept",
    });
    await cancelLines(deps(), merchant(), orderId, request);
    await sim.control("POST", `/_sim/fulfillment-orders/${fo}/service-response`, {
      action: "reject-cancellation",
    });
    expect(await cancelLines(deps(), merchant(), orderId, request)).toEqual({
      ok: false,
      refusal: { code: "labRefused", service: "Partner Lab" },
    });
    expect(lineOf(await sim.orderState(orderId), "LAB-METALLIC-30x45").currentQuantity).toBe(1);
  });

  it("refuses an amount above what is left to refund before anything reaches Shopify, as a field error naming what is left", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
    const result = await cancelLines(
      deps(),
      merchant(),
      orderId,
      cancelLinesForm({
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        amountMode: "amount",
        amount: "100000",
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      refusal: { code: "amountAboveLeft", left: expect.stringMatching(/^\d+\.\d{2}$/) },
    });
    const after = await sim.orderState(orderId);
    expect(lineOf(after, "PRINT-MATTE-A4").currentQuantity).toBe(1);
    expect(after.transactions.some((t) => t.kind === "REFUND")).toBe(false);
    expect(await db.step.count({ where: { decision: { orderId } } })).toBe(0);
  });

  it("puts the review hold back through the rules when Shopify refuses the refund after the app released it", async () => {
    await saveRule(db, sim.shop, {
      name: "Prints after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
    // Staff deactivate the Studio after the app checked the order: Shopify refuses the restock.
    const deactivating = sim.beforeOperation("RefundCreate", () =>
      sim.control("POST", "/_sim/locations/deactivate", { shop: sim.shop, name: "Studio" }),
    );

    const result = await cancelLines(
      deps(deactivating),
      merchant(),
      orderId,
      cancelLinesForm({
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        restock: "on",
      }),
    );

    expect(result).toMatchObject({
      ok: false,
      failed: { hint: "location", routedAgain: true, before: [expect.anything()] },
    });
    const after = await sim.orderState(orderId);
    expect(lineOf(after, "PRINT-MATTE-A4").currentQuantity).toBe(1);
    // Held for review again: the refusal leaves nothing released that the rules hold.
    expect(after.fulfillmentOrders).toEqual([
      expect.objectContaining({ status: "ON_HOLD", holds: [expect.anything()] }),
    ]);
    const decisions = await db.decision.findMany({
      where: { orderId, trigger: "merchant" },
      orderBy: { createdAt: "asc" },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    expect(decisions.map((d) => d.steps.map((s) => [s.kind, s.status]))).toEqual([
      [
        ["fulfillmentOrderReleaseHold", "succeeded"],
        ["refundCreate", "failed"],
      ],
      [["fulfillmentOrderHold", "succeeded"]],
    ]);
  });

  it("refuses more than is left to ship before asking Shopify, and a form without lines or with a bad amount", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
    expect(
      await cancelLines(
        deps(),
        merchant(),
        orderId,
        cancelLinesForm({ [`line:${line.id}`]: "2", reason: "CUSTOMER", refund: "none" }),
      ),
    ).toEqual({
      ok: false,
      refusal: { code: "tooMany", title: expect.any(String), left: 1 },
    });
    expect(await db.step.count({ where: { decision: { orderId } } })).toBe(0);
    const bad = new FormData();
    bad.set("reason", "CUSTOMER");
    bad.set("refund", "original");
    bad.set("amountMode", "amount");
    bad.set("amount", "-3");
    expect(parseCancelLinesForm(bad)).toEqual({ ok: false, errors: { amount: true, lines: true } });
  });

  it("restocks at the location it sends, so both readings of RefundLineItemInput.locationId (GraphQL: optional; REST Refund: required to restock) agree", async () => {
    for (const reading of ["assigned", "required"]) {
      await sim.control("POST", "/_sim/readings", { refundRestockLocation: reading });
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "paid",
      });
      const shelf = await sim.stock("PRINT-MATTE-A4", "Studio");
      const line = lineOf(await sim.orderState(orderId), "PRINT-MATTE-A4");
      const result = await cancelLines(
        deps(),
        merchant(),
        orderId,
        cancelLinesForm({
          [`line:${line.id}`]: "1",
          reason: "STAFF",
          refund: "original",
          restock: "on",
        }),
      );
      expect(result).toMatchObject({ ok: true });
      expect((await sim.stock("PRINT-MATTE-A4", "Studio")).available).toBe(shelf.available + 1);
    }
  });
});

describe("what Shopify would refuse the refund for, said before anything is taken back (ADR 095)", () => {
  const heldPrints = async () => {
    await saveRule(db, sim.shop, {
      name: "Prints after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    const placed = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      customer: { email: "eve@example.com", firstName: "Eve", lastName: "B2B" },
    });
    await routeOrder(deps(), { shop: sim.shop, orderId: placed.orderId, trigger: "webhook" });
    const line = lineOf(await sim.orderState(placed.orderId), "PRINT-MATTE-A4");
    return { ...placed, line };
  };
  /** Nothing taken back or refunded: the hold is on, the line whole, no merchant decision. */
  const nothingChanged = async (orderId: string) => {
    const after = await sim.orderState(orderId);
    expect(lineOf(after, "PRINT-MATTE-A4").currentQuantity).toBe(1);
    expect(after.refunds ?? []).toEqual([]);
    expect(after.fulfillmentOrders.map((fo) => fo.status)).toEqual(["ON_HOLD"]);
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(0);
  };

  it("store credit on a B2B order: the dialog says so, the action refuses it with the hold still on", async () => {
    const { orderId, line } = await heldPrints();
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/company`, {
      name: "Acme GmbH",
    });
    const request = cancelLinesForm({
      [`line:${line.id}`]: "1",
      reason: "CUSTOMER",
      refund: "store_credit",
      amountMode: "amount",
      amount: "1",
    });
    const facts = await cancelCheckOf(sim.gateway, orderId);
    expect(facts && cancelLinesBlock(facts, { ...request, lineItemIds: [line.id] })).toEqual({
      code: "storeCreditB2B",
      company: "Acme GmbH",
    });

    const result = await cancelLines(deps(), merchant(), orderId, request);

    expect(result).toEqual({
      ok: false,
      blocked: { code: "storeCreditB2B", company: "Acme GmbH" },
    });
    await nothingChanged(orderId);
  });

  it("a restock where the items were to ship from, now deactivated: said with the location, refused with nothing taken back; without restock it cancels", async () => {
    const { orderId, line } = await heldPrints();
    await sim.control("POST", "/_sim/locations/deactivate", { shop: sim.shop, name: "Studio" });
    const request = cancelLinesForm({
      [`line:${line.id}`]: "1",
      reason: "CUSTOMER",
      refund: "original",
      restock: "on",
    });
    const facts = await cancelCheckOf(sim.gateway, orderId);
    expect(facts && cancelLinesBlock(facts, { ...request, lineItemIds: [line.id] })).toEqual({
      code: "locationInactive",
      location: "Studio",
    });

    const result = await cancelLines(deps(), merchant(), orderId, request);

    expect(result).toEqual({
      ok: false,
      blocked: { code: "locationInactive", location: "Studio" },
    });
    await nothingChanged(orderId);

    const kept = await cancelLines(deps(), merchant(), orderId, { ...request, restock: false });
    expect(kept).toMatchObject({ ok: true, items: 1 });
  });
});
