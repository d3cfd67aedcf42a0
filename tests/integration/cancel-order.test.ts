// Cancelling a whole order against the shop simulator, as the order screen asks for it: the app's
// holds come off first, unanswered lab requests are withdrawn, work a lab accepted refuses the
// cancel (and the lab is asked to let go), and Shopify's orderCancel job refunds and restocks;
// Shopify's own refusal (staff canceled it meanwhile) is passed on with what went through first.
import { describe, expect, it } from "vitest";
import { routeOrder } from "~/fulfilment/route-order.server";
import { cancelOrder, parseCancelForm } from "~/fulfilment/cancel-order.server";
import { cancelCheckOf } from "~/fulfilment/cancel-check.server";
import { cancelOrderBlock } from "~/routing/cancel-check";
import { ORDER_CANCEL_MUTATION } from "~/shopify/operations";
import { translatorOf } from "~/i18n/i18next.server";
import { merchantDid, said } from "~/routing/words";
import { asStoredWords, readWords, renderWords } from "~/i18n/words";
import { inEnglish, saveRule } from "../support/integration";
import { cancelOrderForm, withCancelShop } from "../support/cancel-forms";

const { sim, db, deps, merchant } = withCancelShop();

describe("cancelling a whole order", () => {
  it("releases the app's review hold, then cancels with a refund to the original payment and restocks", async () => {
    await saveRule(db, sim.shop, {
      name: "Prints after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    const { orderId, name } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const held = await sim.orderState(orderId);
    expect(held.fulfillmentOrders[0]!.status).toBe("ON_HOLD");
    const before = await sim.stock("PRINT-MATTE-A4", "Studio");

    const result = await cancelOrder(
      deps(),
      merchant(),
      orderId,
      cancelOrderForm({
        reason: "CUSTOMER",
        refund: "original",
        restock: "on",
        notifyCustomer: "on",
      }),
    );

    expect(result).toMatchObject({ ok: true, cancelled: true });
    expect(await inEnglish(result.message)).toBe(`${name} canceled`);
    const after = await sim.orderState(orderId);
    expect(after.cancelled).toBe(true);
    expect(after.cancelReason).toBe("CUSTOMER");
    expect(after.financialStatus).toBe("REFUNDED");
    expect(after.fulfillmentOrders.every((fo) => fo.status === "CLOSED")).toBe(true);
    expect(after.fulfillmentOrders[0]!.holds).toHaveLength(0);
    // Closed by the cancel with nothing fulfilled: the queue says canceled, never completed.
    const record = await db.fulfillmentOrderRecord.findFirstOrThrow({ where: { orderId } });
    expect(record.outcome).toBe("cancelled");
    expect(await sim.stock("PRINT-MATTE-A4", "Studio")).toEqual({
      available: before.available + 2,
      committed: before.committed - 2,
    });
    const steps = await db.step.findMany({
      where: { decision: { orderId, trigger: "merchant" } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["fulfillmentOrderReleaseHold", "succeeded"],
      ["orderCancel", "succeeded"],
    ]);
    // Why, as the decision trace says it to a German admin (the catalogue's words, not English).
    const german = await translatorOf("de");
    const why = asStoredWords(
      (JSON.parse(steps[1]!.input) as { why?: { text?: unknown } }).why?.text,
    );
    expect(why && renderWords(german, why)).toBe(
      renderWords(german, merchantDid("orderCanceled", "Lena")),
    );
  });

  it("keeps the money when told not to refund, and gives no stock back without restock", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const before = await sim.stock("PRINT-MATTE-A4", "Studio");
    const result = await cancelOrder(
      deps(),
      merchant(),
      orderId,
      cancelOrderForm({ reason: "FRAUD", refund: "none", staffNote: "Chargeback risk" }),
    );
    expect(result.cancelled).toBe(true);
    const after = await sim.orderState(orderId);
    expect(after.cancelled).toBe(true);
    expect(after.transactions.some((t) => t.kind === "REFUND")).toBe(false);
    expect((await sim.stock("PRINT-MATTE-A4", "Studio")).available).toBe(before.available);
  });

  it("withdraws a request the lab has not answered, then cancels", async () => {
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
    const sent = await sim.orderState(orderId);
    expect(sent.fulfillmentOrders.map((fo) => fo.requestStatus)).toContain("SUBMITTED");

    const result = await cancelOrder(
      deps(),
      merchant(),
      orderId,
      cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" }),
    );
    expect(result.cancelled).toBe(true);
    const after = await sim.orderState(orderId);
    expect(after.cancelled).toBe(true);
    expect(after.fulfillmentOrders.every((fo) => fo.status === "CLOSED")).toBe(true);
  });

  it("refuses while the lab holds accepted work, asks the lab once to let go, and cancels after it does", async () => {
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
    const labFo = (await sim.orderState(orderId)).fulfillmentOrders.find(
      (fo) => fo.requestStatus === "SUBMITTED",
    )!;
    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(labFo.id)}/service-response`,
      { action: "accept" },
    );
    const request = cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" });

    const refused = await cancelOrder(deps(), merchant(), orderId, request);
    expect(refused.ok).toBe(false);
    expect(refused.cancelled).toBe(false);
    expect(await inEnglish(refused.message)).toMatch(
      /Partner Lab accepted work on this order .* not canceled/,
    );
    let state = await sim.orderState(orderId);
    expect(state.cancelled).toBe(false);
    expect(state.financialStatus).toBe("PAID");
    expect(state.fulfillmentOrders.find((fo) => fo.id === labFo.id)!.requestStatus).toBe(
      "CANCELLATION_REQUESTED",
    );

    // Asking again sends no second request.
    const again = await cancelOrder(deps(), merchant(), orderId, request);
    expect(again.ok).toBe(false);
    const asks = await db.step.count({
      where: { kind: "fulfillmentOrderSubmitCancellationRequest", decision: { orderId } },
    });
    expect(asks).toBe(1);

    await sim.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(labFo.id)}/service-response`,
      { action: "accept-cancellation" },
    );
    const done = await cancelOrder(deps(), merchant(), orderId, request);
    expect(done).toMatchObject({ ok: true, cancelled: true });
    state = await sim.orderState(orderId);
    expect(state.cancelled).toBe(true);
    expect(state.financialStatus).toBe("REFUNDED");
  });

  it("passes on Shopify's refusal when staff cancel the order in admin meanwhile, saying the app's hold came off first", async () => {
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
    // Staff cancel it in Shopify admin after the app read the order, just before its orderCancel.
    const racing = sim.beforeOperation("OrderCancel", () =>
      sim.gateway.request(
        `mutation CancelInAdmin($id: ID!) { orderCancel(orderId: $id, reason: STAFF, restock: false, notifyCustomer: false) { orderCancelUserErrors { message } } }`,
        { id: orderId },
      ),
    );

    const result = await cancelOrder(
      deps(racing),
      merchant(),
      orderId,
      cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" }),
    );

    expect(result).toMatchObject({ ok: false, cancelled: false });
    const said = await inEnglish(result.message);
    expect(said).toContain("Order has already been cancelled");
    expect(said).toContain("(1 change went through first.)");
    const steps = await db.step.findMany({
      where: { decision: { orderId, trigger: "merchant" } },
      orderBy: { position: "asc" },
    });
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ["fulfillmentOrderReleaseHold", "succeeded"],
      ["orderCancel", "failed"],
    ]);
    // Shopify's cancel is the staff's: the reason theirs, nothing refunded by the app's request.
    const after = await sim.orderState(orderId);
    expect(after).toMatchObject({ cancelled: true, cancelReason: "STAFF" });
  });

  it("routes the order again when Shopify refuses the cancel after the app took its hold and its lab request back, and says so", async () => {
    await saveRule(db, sim.shop, {
      name: "Prints after a look",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "hold_for_review", note: "Check the crop" }],
    });
    await saveRule(db, sim.shop, {
      name: "Lab prints to the lab",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "submit_fulfilment_request", notifyCustomer: false }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [
        { sku: "PRINT-MATTE-A4", quantity: 1 },
        { sku: "LAB-METALLIC-30x45", quantity: 1 },
      ],
      payment: "paid",
    });
    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });
    const before = await sim.orderState(orderId);
    expect(before.fulfillmentOrders.map((fo) => fo.status).sort()).toEqual(["ON_HOLD", "OPEN"]);
    expect(before.fulfillmentOrders.map((fo) => fo.requestStatus)).toContain("SUBMITTED");
    // The customer asks to return something after the app read the order: Shopify refuses orderCancel.
    const returning = sim.beforeOperation("OrderCancel", () =>
      sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/return`, {
        status: "RETURN_REQUESTED",
      }),
    );

    const result = await cancelOrder(
      deps(returning),
      merchant(),
      orderId,
      cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" }),
    );

    expect(result).toMatchObject({ ok: false, cancelled: false });
    const message = await inEnglish(result.message);
    expect(message).toContain("The order has an active return in progress");
    expect(message).toContain("The order was not canceled.");
    expect(message).toContain("went through the rules again");
    const after = await sim.orderState(orderId);
    expect(after.cancelled).toBe(false);
    expect(after.financialStatus).toBe("PAID");
    const open = after.fulfillmentOrders.filter((fo) => fo.status !== "CLOSED");
    // Held for review again, and the lab asked again: nothing sits unheld and unsent.
    expect(open.map((fo) => fo.status).sort()).toEqual(["ON_HOLD", "OPEN"]);
    expect(open.map((fo) => fo.requestStatus).sort()).toEqual(["SUBMITTED", "UNSUBMITTED"]);
    const decisions = await db.decision.findMany({
      where: { orderId, trigger: "merchant" },
      orderBy: { createdAt: "asc" },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    expect(decisions.map((d) => d.steps.map((s) => [s.kind, s.status]))).toEqual([
      [
        ["fulfillmentOrderReleaseHold", "succeeded"],
        ["fulfillmentOrderCancel", "succeeded"],
        ["orderCancel", "failed"],
      ],
      expect.arrayContaining([
        ["fulfillmentOrderHold", "succeeded"],
        ["fulfillmentOrderSubmitFulfillmentRequest", "succeeded"],
      ]),
    ]);
  });

  it("says in the app's words, not as Shopify's, that Shopify's job failed without giving a reason", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    await sim.control("POST", "/_sim/faults", { silentJobFailures: 1 });
    const result = await cancelOrder(
      deps(),
      merchant(),
      orderId,
      cancelOrderForm({ reason: "CUSTOMER", refund: "none", staffNote: "Asked by phone" }),
    );
    expect(result).toMatchObject({ ok: false, cancelled: false });
    expect(result.message).toEqual(said("cancel.unfinished"));
    expect((await sim.orderState(orderId)).cancelled).toBe(false);
    // The decision trace keeps the same words, read in the admin's language.
    const step = await db.step.findFirstOrThrow({
      where: { decision: { orderId }, kind: "orderCancel" },
    });
    expect(step.status).toBe("failed");
    const german = await translatorOf("de");
    expect(renderWords(german, readWords(step.error ?? ""))).toBe(
      german("serviceMessages.cancel.unfinished"),
    );
  });

  it("says so when the order is already cancelled, and refuses a form without a reason", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    const request = cancelOrderForm({ reason: "STAFF", refund: "none" });
    expect((await cancelOrder(deps(), merchant(), orderId, request)).cancelled).toBe(true);
    const again = await cancelOrder(deps(), merchant(), orderId, request);
    expect(again.ok).toBe(true);
    expect(await inEnglish(again.message)).toBe("Order already canceled");
    const bad = new FormData();
    bad.set("refund", "original");
    bad.set("staffNote", "x".repeat(300));
    expect(parseCancelForm(bad)).toEqual({
      ok: false,
      errors: { reason: true, staffNote: true },
    });
  });
});

describe("what Shopify would refuse, said before anything is taken back (ADR 095)", () => {
  const heldPrint = async () => {
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
    return placed;
  };
  /** Nothing was taken back or sent: the hold is on, the order stands, no merchant decision. */
  const nothingChanged = async (orderId: string) => {
    const after = await sim.orderState(orderId);
    expect(after.cancelled).toBe(false);
    expect(after.financialStatus).toBe("PAID");
    expect(after.fulfillmentOrders.map((fo) => fo.status)).toEqual(["ON_HOLD"]);
    expect(await db.decision.count({ where: { orderId, trigger: "merchant" } })).toBe(0);
  };
  /** Shopify's orderCancel itself, sent as the app sends it, bypassing the app's check. */
  const shopifyCancel = async (orderId: string, variables: Record<string, unknown>) =>
    (
      await sim.gateway.request<{
        orderCancel: { orderCancelUserErrors: { code: string | null; field: string[] | null }[] };
      }>(ORDER_CANCEL_MUTATION, { orderId, reason: "CUSTOMER", ...variables })
    ).orderCancel.orderCancelUserErrors;

  it("an open return: the dialog says so, the action refuses it with nothing taken back, and Shopify refuses it too", async () => {
    const { orderId } = await heldPrint();
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/return`, {
      status: "IN_PROGRESS",
    });
    const choice = cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" });
    // What the dialog reads when it opens.
    const facts = await cancelCheckOf(sim.gateway, orderId);
    expect(facts && cancelOrderBlock(facts, choice)).toEqual({ code: "returnInProgress" });

    const result = await cancelOrder(deps(), merchant(), orderId, choice);

    expect(result).toMatchObject({
      ok: false,
      cancelled: false,
      blocked: { code: "returnInProgress" },
    });
    expect(await inEnglish(result.message)).toContain(
      "Close or cancel the return in Shopify admin",
    );
    await nothingChanged(orderId);
    expect(await shopifyCancel(orderId, { restock: false })).toEqual([
      expect.objectContaining({ code: "INVALID", field: ["orderId"] }),
    ]);
  });

  it("store credit on a B2B order: the dialog and the action say so (to the original payment it goes through), and Shopify refuses it with STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED", async () => {
    const { orderId } = await heldPrint();
    await sim.control("POST", `/_sim/orders/${encodeURIComponent(orderId)}/company`, {
      name: "Acme GmbH",
    });
    const credit = cancelOrderForm({ reason: "CUSTOMER", refund: "store_credit", restock: "on" });
    const facts = await cancelCheckOf(sim.gateway, orderId);
    expect(facts?.company).toBe("Acme GmbH");
    expect(facts && cancelOrderBlock(facts, credit)).toEqual({
      code: "storeCreditB2B",
      company: "Acme GmbH",
    });
    expect(facts && cancelOrderBlock(facts, { ...credit, refund: "original" as const })).toBeNull();

    const result = await cancelOrder(deps(), merchant(), orderId, credit);
    expect(result).toMatchObject({ ok: false, blocked: { code: "storeCreditB2B" } });
    expect(await inEnglish(result.message)).toContain("B2B order for Acme GmbH");
    await nothingChanged(orderId);
    expect(
      await shopifyCancel(orderId, { restock: false, refundMethod: { storeCreditRefund: {} } }),
    ).toEqual([expect.objectContaining({ code: "STORE_CREDIT_REFUND_B2B_NOT_SUPPORTED" })]);

    const original = await cancelOrder(deps(), merchant(), orderId, {
      ...credit,
      refund: "original",
    });
    expect(original).toMatchObject({ ok: true, cancelled: true });
  });

  it("a restock at a deactivated location on a paid order: said with the location, refused with nothing taken back; without restock it cancels", async () => {
    const { orderId } = await heldPrint();
    await sim.control("POST", "/_sim/locations/deactivate", { shop: sim.shop, name: "Studio" });
    const restock = cancelOrderForm({ reason: "CUSTOMER", refund: "original", restock: "on" });
    const facts = await cancelCheckOf(sim.gateway, orderId);
    expect(facts && cancelOrderBlock(facts, restock)).toEqual({
      code: "locationInactive",
      location: "Studio",
    });

    const result = await cancelOrder(deps(), merchant(), orderId, restock);
    expect(result).toMatchObject({ ok: false, blocked: { code: "locationInactive" } });
    expect(await inEnglish(result.message)).toContain("Studio is no longer active");
    await nothingChanged(orderId);
    expect(await shopifyCancel(orderId, { restock: true })).toEqual([
      expect.objectContaining({ field: ["restock"] }),
    ]);

    const kept = await cancelOrder(deps(), merchant(), orderId, { ...restock, restock: false });
    expect(kept).toMatchObject({ ok: true, cancelled: true });
  });
});
