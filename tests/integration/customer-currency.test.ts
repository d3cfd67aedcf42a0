// An order the customer paid in another currency than the shop's, against the shop simulator:
// captures and refunds go in the customer's (presentment) currency, as OrderCaptureInput.currency
// and RefundInput.currency require "for orders where the currency and presentment currency differ".
import { describe, expect, it } from "vitest";
import { routeOrder } from "~/fulfilment/route-order.server";
import { runCommand } from "~/fulfilment/commands.server";
import { cancelLines } from "~/fulfilment/cancel-lines.server";
import { loadOrderDetail } from "~/services/order-detail.server";
import { gidTail } from "~/routing/snapshot";
import { ORDER_CAPTURE_MUTATION } from "~/shopify/operations";
import { translatorOf } from "~/i18n/i18next.server";
import { amountExample } from "~/routing/minor-units";
import { saveRule } from "../support/integration";
import { cancelLinesForm, withCancelShop } from "../support/cancel-forms";

const { sim, db, deps, merchant } = withCancelShop();

/** The demo shop keeps EUR; the customer pays in US dollars at a fixed 1.10 to the euro. */
const IN_DOLLARS = { currency: "USD", rate: 1.1 };

/** The merchant cancels one item of a line from the order screen, restocked. */
function cancelOne(orderId: string, lineId: string, refund: "original" | "none") {
  const form = cancelLinesForm({
    [`line:${lineId}`]: "1",
    reason: "CUSTOMER",
    refund,
    restock: "on",
  });
  return cancelLines(deps(), merchant(), orderId, form);
}

describe("an order paid in the customer's currency", () => {
  it("is captured in full, in dollars, by the merchant's Capture", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
      presentment: IN_DOLLARS,
    });
    const before = await sim.orderState(orderId);
    expect([before.currency, before.presentmentCurrency]).toEqual(["EUR", "USD"]);

    const result = await runCommand(
      deps(),
      { shop: sim.shop, actor: "Lena" },
      { action: "capture", orderId },
    );

    expect(result.ok).toBe(true);
    const after = await sim.orderState(orderId);
    expect(after.financialStatus).toBe("PAID");
    expect(after.transactions.filter((t) => t.kind === "CAPTURE")).toEqual([
      expect.objectContaining({ status: "SUCCESS", amount: before.totalPrice }),
    ]);
  });

  it("is captured by a rule that captures at once, in dollars", async () => {
    await saveRule(db, sim.shop, {
      name: "Capture prints",
      conditions: [{ field: "sku", operator: "starts_with", value: "PRINT-" }],
      actions: [{ type: "capture_payment", when: "now" }],
    });
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "authorized",
      presentment: IN_DOLLARS,
    });

    await routeOrder(deps(), { shop: sim.shop, orderId, trigger: "webhook" });

    const after = await sim.orderState(orderId);
    expect(after.financialStatus).toBe("PAID");
    expect(after.transactions.find((t) => t.kind === "CAPTURE")?.amount).toBe(after.totalPrice);
  });

  it("gets the price of a canceled item back in dollars", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_DOLLARS,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;
    const result = await cancelOne(orderId, line.id, "original");

    expect(result).toMatchObject({ ok: true, refunded: line.price, currency: "USD" });
    const after = await sim.orderState(orderId);
    expect(after.financialStatus).toBe("PARTIALLY_REFUNDED");
    expect(after.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([
      line.price,
    ]);
  });
});

describe("a set amount refunded in the customer's currency's own decimals (ADR 087)", () => {
  /** 24.00 EUR is 7.005 Kuwaiti dinars (3 decimals) at this rate. */
  const IN_DINARS = { currency: "KWD", rate: 0.291875 };
  /** 24.00 EUR is 3900 yen (no decimals) at this rate. */
  const IN_YEN = { currency: "JPY", rate: 162.5 };

  /** The merchant cancels one item and types the amount to refund, as the dialog posts it. */
  function cancelOneFor(orderId: string, lineId: string, amount: string) {
    const form = cancelLinesForm({
      [`line:${lineId}`]: "1",
      reason: "CUSTOMER",
      refund: "original",
      amountMode: "amount",
      amount,
    });
    return cancelLines(deps(), merchant(), orderId, form);
  }
  const refundsOf = async (orderId: string) =>
    (await sim.orderState(orderId)).transactions
      .filter((t) => t.kind === "REFUND")
      .map((t) => t.amount);

  it("sends an amount typed to the fils as typed", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_DINARS,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const result = await cancelOneFor(orderId, line.id, "2.505");

    expect(result).toMatchObject({ ok: true, refunded: "2.505", currency: "KWD" });
    expect(await refundsOf(orderId)).toEqual(["2.505"]);
  });

  it("sends an amount of yen in whole yen", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_YEN,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const result = await cancelOneFor(orderId, line.id, "1500");

    expect(result).toMatchObject({ ok: true, refunded: "1500", currency: "JPY" });
    expect(await refundsOf(orderId)).toEqual(["1500"]);
  });

  it("refuses, changing nothing, an amount with more decimals than the currency has, and says so in the merchant's words", async () => {
    const dinars = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_DINARS,
    });
    const yen = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "paid",
      presentment: IN_YEN,
    });
    const dinarLine = (await sim.orderState(dinars.orderId)).lineItems[0]!;
    const yenLine = (await sim.orderState(yen.orderId)).lineItems[0]!;

    expect(await cancelOneFor(dinars.orderId, dinarLine.id, "2.5055")).toEqual({
      ok: false,
      refusal: { code: "amountDecimals", currency: "KWD", decimals: 3 },
    });
    expect(await cancelOneFor(yen.orderId, yenLine.id, "1500.5")).toEqual({
      ok: false,
      refusal: { code: "amountDecimals", currency: "JPY", decimals: 0 },
    });
    expect(await refundsOf(dinars.orderId)).toEqual([]);
    expect(await refundsOf(yen.orderId)).toEqual([]);
    expect((await sim.orderState(yen.orderId)).lineItems[0]!.currentQuantity).toBe(2);

    // The field error the order screen shows beside the amount.
    const words = async (locale: "en" | "de", currency: string, count: number) =>
      (await translatorOf(locale))("afterPayment.cancelLines.errors.amountDecimals", {
        count,
        currency,
        example: amountExample(currency),
      });
    expect(await words("en", "KWD", 3)).toBe(
      "Amounts in KWD have at most 3 decimals. Enter one such as 12.505.",
    );
    expect(await words("en", "JPY", 0)).toBe(
      "Amounts in JPY have no decimals. Enter one such as 1250.",
    );
    expect(await words("de", "JPY", 0)).toBe(
      "Beträge in JPY haben keine Nachkommastellen. Gib einen Betrag wie 1250 ein.",
    );
  });
});

describe("the order screen's cancel dialogs", () => {
  const detailOf = (orderId: string) =>
    loadOrderDetail(
      { db, gateway: sim.gateway },
      { shop: sim.shop, orderNumber: gidTail(orderId), now: new Date() },
    );

  it("know a partly paid order holds money to give back (received less refunded above zero)", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
    });
    const auth = (await sim.orderState(orderId)).transactions.find(
      (t) => t.kind === "AUTHORIZATION",
    )!;
    // Staff captured part of it in Shopify's admin.
    await sim.gateway.request(ORDER_CAPTURE_MUTATION, {
      input: {
        id: orderId,
        parentTransactionId: auth.id,
        amount: "5.00",
        currency: "EUR",
      },
    });
    expect((await sim.orderState(orderId)).financialStatus).toBe("PARTIALLY_PAID");

    const detail = await detailOf(orderId);

    expect(detail?.payment).toMatchObject({ status: "PARTIALLY_PAID", captured: true });
  });

  it("ask for an amount in the customer's currency", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      presentment: IN_DOLLARS,
    });

    const detail = await detailOf(orderId);

    expect(detail?.payment).toMatchObject({ captured: true, customerCurrencyCode: "USD" });
  });
});

describe("capturing after items were canceled", () => {
  it("captures what the order still owes, not the whole authorization", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
      payment: "authorized",
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;
    expect(await cancelOne(orderId, line.id, "none")).toMatchObject({ ok: true });
    const owed = (await sim.orderState(orderId)).totalPrice;

    const result = await runCommand(deps(), merchant(), { action: "capture", orderId });

    expect(result.ok).toBe(true);
    const after = await sim.orderState(orderId);
    expect(after.transactions.filter((t) => t.kind === "CAPTURE").map((t) => t.amount)).toEqual([
      owed,
    ]);
    expect(after.financialStatus).toBe("PAID");
  });
});
