// "Try again" after Shopify did not answer a "Cancel items": the refund the first attempt made on
// Shopify is not made twice. The retry resumes the same decision, so its refundCreate is the same
// request under the same `@idempotent` key (ADR 078, ADR 093), and the simulator, as Shopify's
// idempotency page says, answers a duplicate with the first refund.
import { describe, expect, it } from "vitest";
import { cancelLines, retryCancelLines } from "~/fulfilment/cancel-lines.server";
import { cancelLinesForm, withCancelShop } from "../support/cancel-forms";

const { sim, db, deps, merchant } = withCancelShop();

/** The next refundCreate reaches Shopify and is made, but its answer is lost (a 504). */
const loseRefundAnswer = () =>
  sim.control("POST", "/_sim/faults", { appliedThenTimeoutOf: { RefundCreate: 1 }, timeoutMs: 50 });

async function anOrderOfThreePrints() {
  const { orderId, name } = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
    payment: "paid",
  });
  const line = (await sim.orderState(orderId)).lineItems[0]!;
  return { orderId, name, line };
}

const refunds = async (orderId: string) => {
  const order = await sim.orderState(orderId);
  return {
    refunds: order.refunds.length,
    refunded: order.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount),
    left: order.lineItems[0]!.currentQuantity,
  };
};

describe("Cancel items: Try again after Shopify did not answer", () => {
  for (const amountMode of ["full", "amount"] as const) {
    it(`the first refund landed, its answer was lost; Try again gives one refund, not two (${amountMode === "full" ? "in full" : "a set amount"})`, async () => {
      const { orderId, name, line } = await anOrderOfThreePrints();
      await loseRefundAnswer();
      const request = cancelLinesForm({
        [`line:${line.id}`]: "1",
        reason: "CUSTOMER",
        refund: "original",
        amountMode,
        ...(amountMode === "amount" ? { amount: "10.00" } : {}),
      });

      const first = await cancelLines(deps(), merchant(), orderId, request);

      // GIVEN Shopify made the refund but the app heard nothing
      expect(first.ok).toBe(false);
      const retry = "failed" in first ? first.failed.retry : null;
      expect(retry).toEqual(expect.any(String));
      const landed = await refunds(orderId);
      expect(landed.refunds).toBe(1);
      expect(landed.left).toBe(2);

      // WHEN the merchant chooses Try again
      const again = await retryCancelLines(deps(), merchant(), orderId, retry!);

      // THEN the same request is answered with the first refund: one refund, one item off
      const amount = amountMode === "full" ? Number(line.price).toFixed(2) : "10.00";
      expect(again).toEqual({
        ok: true,
        orderName: name,
        items: 1,
        refunded: amount,
        currency: "EUR",
        routedAgain: false,
      });
      expect(await refunds(orderId)).toEqual({ refunds: 1, refunded: [amount], left: 2 });
      // The retry went under the first attempt's key: one refundCreate Step, now succeeded.
      const steps = await db.step.findMany({ where: { kind: "refundCreate" } });
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({ status: "succeeded", attempts: 2 });

      // A second Try again (a double click) finds nothing left to resume and sends nothing.
      expect(await retryCancelLines(deps(), merchant(), orderId, retry!)).toEqual({
        ok: false,
        refusal: { code: "nothingToRetry" },
      });
      expect((await refunds(orderId)).refunds).toBe(1);
    });
  }

  it("every item canceled and the answer lost: asking afresh is refused (nothing left to cancel), Try again says what was done", async () => {
    // Why the retry resumes rather than plans again: the order read after the lost refund has no
    // print left, so a new plan refuses; a plan that still went through would be another request
    // under another key whenever it differs from the first (ADR 093).
    const { orderId, name, line } = await anOrderOfThreePrints();
    await loseRefundAnswer();
    const request = cancelLinesForm({
      [`line:${line.id}`]: "3",
      reason: "CUSTOMER",
      refund: "original",
      amountMode: "full",
    });
    const first = await cancelLines(deps(), merchant(), orderId, request);
    const retry = "failed" in first ? first.failed.retry : null;
    expect(retry).toEqual(expect.any(String));

    const afresh = await cancelLines(deps(), merchant(), orderId, request);
    expect(afresh).toMatchObject({ ok: false, refusal: { code: "tooMany" } });

    const again = await retryCancelLines(deps(), merchant(), orderId, retry!);
    expect(again).toMatchObject({ ok: true, orderName: name, items: 3, currency: "EUR" });
    expect(await refunds(orderId)).toMatchObject({ refunds: 1, left: 0 });
  });

  it("offers no retry when Shopify answered with a refusal, and resumes no other order's decision", async () => {
    const { orderId, line } = await anOrderOfThreePrints();
    // Staff deactivate the Studio after the app's check and before the refund: Shopify refuses the
    // restock there (what the check sees up front is refused before anything is sent, ADR 095).
    const deactivating = sim.beforeOperation("RefundCreate", () =>
      sim.control("POST", "/_sim/locations/deactivate", { shop: sim.shop, name: "Studio" }),
    );
    const refused = await cancelLines(
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
    expect(refused).toMatchObject({ ok: false, failed: { hint: "location" } });
    expect("failed" in refused && refused.failed.retry).toBeNull();

    const other = await anOrderOfThreePrints();
    await loseRefundAnswer();
    const lost = await cancelLines(
      deps(),
      merchant(),
      other.orderId,
      cancelLinesForm({ [`line:${other.line.id}`]: "1", reason: "CUSTOMER", refund: "none" }),
    );
    const retry = "failed" in lost ? lost.failed.retry : null;
    expect(retry).toEqual(expect.any(String));
    expect(await retryCancelLines(deps(), merchant(), orderId, retry!)).toEqual({
      ok: false,
      refusal: { code: "nothingToRetry" },
    });
    expect(
      await retryCancelLines(
        deps(),
        { shop: "other.myshopify.com", actor: null },
        other.orderId,
        retry!,
      ),
    ).toEqual({ ok: false, refusal: { code: "nothingToRetry" } });
  });
});
