// Cancelling through the order route when Shopify's answer is lost, then Try again (ADR 097).
import { describe, expect, it } from "vitest";
import { callRoute as call, signedRequest } from "../support/route-call";
import { withRouteSuite } from "../support/route-suite";

const { sim, db } = await withRouteSuite({ defaultMode: "manual", digitalDownloads: "automatic" });
const orderRoute = await import("~/routes/app.orders.$id");
const { translatorOf } = await import("~/i18n/i18next.server");

interface Answer {
  intent: string;
  ok: boolean;
  message: string;
  title?: string;
  retry?: Record<string, string>;
  retryLabel?: string;
}

/** Posts the order screen's form as admin's browser does; the route's data() under `data`. */
async function post(orderId: string, fields: Record<string, string>, locale = "en") {
  const number = orderId.split("/").pop()!;
  const request = await signedRequest(sim, `/app/orders/${number}?locale=${locale}`, fields);
  const response = await call(orderRoute.action, request, { id: number });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Answer }).data;
}

/** Shopify makes the next `operation` but its answer is lost (a 504 after the change). */
const loseAnswerOf = (operation: string) =>
  sim.control("POST", "/_sim/faults", { appliedThenTimeoutOf: { [operation]: 1 }, timeoutMs: 50 });

describe("Cancel items when Shopify's answer to the refund is lost", () => {
  for (const locale of ["en", "de"] as const) {
    it(`says the items may already be canceled and to choose Try again, not "No items were canceled"; Try again refunds once (${locale})`, async () => {
      const words = await translatorOf(locale);
      const { orderId, name } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
        payment: "paid",
      });
      const line = (await sim.orderState(orderId)).lineItems[0]!;
      const price = Number(line.price).toFixed(2);
      await loseAnswerOf("RefundCreate");
      const form = {
        intent: "cancelLines",
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        amountMode: "full",
        restock: "on",
      };

      const lost = await post(orderId, form, locale);

      // Shopify made the refund: the banner must not say nothing was canceled.
      expect((await sim.orderState(orderId)).refunds).toHaveLength(1);
      expect(lost).toEqual({
        intent: "cancelLines",
        ok: false,
        title: words("afterPayment.cancelLines.lost.title"),
        message: words("afterPayment.cancelLines.lost.text"),
        retry: { retryOf: expect.any(String) },
      });
      if (locale === "en") {
        expect(lost.title).toBe("Shopify didn't confirm the cancel");
        expect(lost.message).toBe(
          "Shopify didn't answer in time, so these items may already be canceled. Select Try again to finish this same cancel: Shopify won't cancel or refund the items twice. Until then, don't cancel them another way, or the customer could be refunded twice.",
        );
      }

      // Try again, as the banner's button posts it: the same form with the decision to resume.
      const again = await post(orderId, { ...form, ...lost.retry }, locale);

      expect(again).toEqual({
        intent: "cancelLines",
        ok: true,
        message: words("afterPayment.cancelLines.doneRefunded", {
          count: 1,
          order: name,
          amount: price,
          currency: "EUR",
        }),
      });
      const after = await sim.orderState(orderId);
      expect(after.refunds).toHaveLength(1);
      expect(after.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([
        price,
      ]);
      expect(after.lineItems[0]!.currentQuantity).toBe(2);
    });
  }
});

describe("Cancel order when Shopify's answer to the orderCancel is lost", () => {
  for (const locale of ["en", "de"] as const) {
    it(`says the order may already be canceled and to choose Try again, not "The order was not canceled"; Try again cancels and refunds once (${locale})`, async () => {
      const words = await translatorOf(locale);
      const { orderId, name } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
        payment: "paid",
      });
      await loseAnswerOf("OrderCancel");
      const form = {
        intent: "cancel",
        reason: "CUSTOMER",
        refund: "original",
        restock: "on",
        notifyCustomer: "off",
      };

      const lost = await post(orderId, form, locale);

      expect(lost).toEqual({
        intent: "cancel",
        ok: false,
        cancelled: false,
        title: words("afterSales.cancel.lostTitle"),
        message: words("serviceMessages.cancel.lost"),
        retry: { retryOf: expect.any(String) },
      });
      if (locale === "en") expect(lost.title).toBe("Shopify didn't confirm the cancel");
      // Shopify canceled the order all the same (its job runs a moment after the mutation).
      await expect.poll(async () => (await sim.orderState(orderId)).cancelled).toBe(true);

      // Try again, as the banner's button posts it: the same form with the decision to resume.
      const again = await post(orderId, { ...form, ...lost.retry }, locale);

      expect(again).toEqual({
        intent: "cancel",
        ok: true,
        cancelled: true,
        message: words("serviceMessages.cancel.canceled", { order: name }),
      });
      const after = await sim.orderState(orderId);
      expect(after.transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
      // The lost orderCancel was read back from the order, not sent a second time.
      const steps = await db.step.findMany({ where: { kind: "orderCancel" } });
      expect(steps).toEqual([expect.objectContaining({ status: "succeeded", attempts: 1 })]);

      // A second Try again (a double click) finds nothing left to resume.
      expect(await post(orderId, { ...form, ...lost.retry }, locale)).toEqual({
        intent: "cancel",
        ok: false,
        cancelled: false,
        message: words("serviceMessages.cancel.nothingToRetry"),
      });
    });
  }

  for (const locale of ["en", "de"] as const) {
    it(`Try again while Shopify's cancel job has not run yet: says it is still canceling and sends nothing; Check again once it ran records that one cancel (${locale})`, async () => {
      const words = await translatorOf(locale);
      const { orderId, name } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
        payment: "paid",
      });
      // Shopify takes the orderCancel, its answer (the job's id) is lost, and its job waits.
      await sim.control("POST", "/_sim/faults", { heldJobs: 1 });
      await loseAnswerOf("OrderCancel");
      const form = { intent: "cancel", reason: "CUSTOMER", refund: "original", restock: "on" };
      const lost = await post(orderId, form, locale);
      expect(lost.retry).toEqual({ retryOf: expect.any(String) });
      expect((await sim.orderState(orderId)).cancelled).toBe(false);

      const early = await post(orderId, { ...form, ...lost.retry }, locale);

      // Not sent a second time: the one orderCancel Step, tried once.
      expect(early).toEqual({
        intent: "cancel",
        ok: false,
        cancelled: false,
        title: words("afterSales.cancel.runningTitle"),
        message: words("serviceMessages.cancel.stillRunning", { order: name }),
        retry: lost.retry,
        retryLabel: words("afterSales.cancel.checkAgain"),
      });
      if (locale === "en") expect(early.retryLabel).toBe("Check again");
      const steps = () => db.step.findMany({ where: { kind: "orderCancel" } });
      expect(await steps()).toEqual([expect.objectContaining({ attempts: 1 })]);

      // Shopify gets to the job; Check again finds the order canceled.
      await sim.control("POST", "/_sim/jobs/run", {});
      const checked = await post(orderId, { ...form, ...early.retry }, locale);

      expect(checked).toEqual({
        intent: "cancel",
        ok: true,
        cancelled: true,
        message: words("serviceMessages.cancel.canceled", { order: name }),
      });
      const after = await sim.orderState(orderId);
      expect(after.transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
      expect(await steps()).toEqual([
        expect.objectContaining({ status: "succeeded", attempts: 1 }),
      ]);
    });
  }

  it("deletes the order's open extra charge once Try again finds the order canceled", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      email: "ann@example.com",
    });
    const charged = await post(orderId, {
      intent: "extraCharge",
      requestId: crypto.randomUUID(),
      reason: "Size change to A3",
      amount: "12.50",
    });
    expect(charged.ok).toBe(true);
    const charge = await db.extraCharge.findFirstOrThrow({ where: { orderId } });
    expect(charge.status).toBe("invoice_sent");
    await loseAnswerOf("OrderCancel");
    const form = { intent: "cancel", reason: "CUSTOMER", refund: "original" };

    const lost = await post(orderId, form);
    expect(lost.retry).toEqual({ retryOf: expect.any(String) });
    await expect.poll(async () => (await sim.orderState(orderId)).cancelled).toBe(true);
    const again = await post(orderId, { ...form, ...lost.retry });

    expect(again).toMatchObject({ ok: true, cancelled: true });
    expect(await db.extraCharge.findUniqueOrThrow({ where: { id: charge.id } })).toMatchObject({
      status: "canceled",
    });
    const draft = await sim.gateway.request<{ draftOrder: { id: string } | null }>(
      `query ChargeDraft($id: ID!) { draftOrder(id: $id) { id } }`,
      { id: charge.draftOrderId },
    );
    expect(draft.draftOrder).toBeNull();
  });
});
