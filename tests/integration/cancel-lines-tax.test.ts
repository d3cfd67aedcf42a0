// "Cancel items" with a refund in full on a taxed order, against the shop simulator, as the order
// screen asks for it: the customer gets back what they paid for the items, tax included, as Shopify's
// suggested refund for those lines says (Order.suggestedRefund; ADR 082).
import { describe, expect, it } from "vitest";
import { cancelLines, previewFullRefund } from "~/fulfilment/cancel-lines.server";
import { cancelLinesForm, withCancelShop } from "../support/cancel-forms";
import type { SimOrderState } from "../support/shop-simulator";

const { sim, deps, merchant } = withCancelShop();

/** VAT at 19 %, added to the prices (Order.taxesIncluded false, Shopify's default). */
const VAT = [{ title: "VAT", rate: 0.19 }];

/** The merchant's "Cancel items" form: these quantities, refunded in full, restocked. */
function cancelInFull(
  orderId: string,
  quantities: Record<string, number>,
  refund: "original" | "store_credit" = "original",
) {
  const lines = Object.entries(quantities).map(([id, n]) => [`line:${id}`, String(n)] as const);
  const form = cancelLinesForm({
    ...Object.fromEntries(lines),
    reason: "CUSTOMER",
    refund,
    amountMode: "full",
    restock: "on",
  });
  return cancelLines(deps(), merchant(), orderId, form);
}

const refunds = (order: SimOrderState) =>
  order.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount);

describe("refunding canceled items in full on a taxed order", () => {
  it("gives back the items' price and their tax: one of three 24.00 prints with 19 % VAT is 28.56", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;
    expect(line.price).toBe("24.00");

    const result = await cancelInFull(orderId, { [line.id]: 1 });

    expect(result).toMatchObject({ ok: true, items: 1, refunded: "28.56", currency: "EUR" });
    const after = await sim.orderState(orderId);
    expect(refunds(after)).toEqual(["28.56"]);
    expect(after.refunds.map((r) => r.lines)).toEqual([
      [expect.objectContaining({ quantity: 1, tax: "4.56" })],
    ]);
    expect(after.financialStatus).toBe("PARTIALLY_REFUNDED");
  });

  it("shows the dialog, before the merchant confirms, the amount the refund then gives back, and the tax in it", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const shown = await previewFullRefund(sim.gateway, orderId, [
      { lineItemId: line.id, quantity: 2 },
    ]);
    const result = await cancelInFull(orderId, { [line.id]: 2 });

    expect(shown).toEqual({ amount: "57.12", tax: "9.12", currency: "EUR" });
    expect(result).toMatchObject({ ok: true, refunded: "57.12" });
    // Nothing was changed by asking.
    expect(refunds(await sim.orderState(orderId))).toEqual(["57.12"]);
  });

  it("cancelling every item in two goes gives back all that was paid for them, tax to the cent", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      // 72.00 at 7.35 %: 5.29, which three items do not share evenly.
      taxLines: [{ title: "Sales tax", rate: 0.0735 }],
    });
    const before = await sim.orderState(orderId);
    const line = before.lineItems[0]!;

    expect(await cancelInFull(orderId, { [line.id]: 2 })).toMatchObject({ ok: true });
    expect(await cancelInFull(orderId, { [line.id]: 1 })).toMatchObject({ ok: true });

    const after = await sim.orderState(orderId);
    // 72.00 of prints and 5.29 of tax; the shipping stays paid.
    expect(refunds(after)).toEqual(["51.53", "25.76"]);
    expect(after.totalPrice).toBe(
      (Number(before.totalPrice) - 77.29).toFixed(2), // the shipping alone
    );
  });

  it("gives the tax back in the customer's currency on an order paid in dollars", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      presentment: { currency: "USD", rate: 1.1 },
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const result = await cancelInFull(orderId, { [line.id]: 1 });

    // 26.40 an item; a third of 19 % of 79.20 (15.05) is 5.02.
    expect(result).toMatchObject({ ok: true, refunded: "31.42", currency: "USD" });
    expect(refunds(await sim.orderState(orderId))).toEqual(["31.42"]);
  });

  it("gives the price and its tax as store credit when the merchant chooses it", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const result = await cancelInFull(orderId, { [line.id]: 1 }, "store_credit");

    expect(result).toMatchObject({ ok: true, refunded: "28.56" });
    const credit = (await sim.orderState(orderId)).transactions.filter(
      (t) => t.kind === "REFUND" && t.gateway === "shopify_store_credit",
    );
    expect(credit.map((t) => t.amount)).toEqual(["28.56"]);
  });

  it("adds nothing on top where the prices include the tax (Order.taxesIncluded)", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      taxLines: VAT,
      taxesIncluded: true,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const result = await cancelInFull(orderId, { [line.id]: 1 });

    expect(result).toMatchObject({ ok: true, refunded: "24.00" });
    expect(refunds(await sim.orderState(orderId))).toEqual(["24.00"]);
  });
});

describe("refunding canceled items in full in a currency with other decimals than two (ADR 087)", () => {
  /** 24.00 EUR is 7.005 Kuwaiti dinars at this rate: an amount to the fils. */
  const IN_DINARS = { currency: "KWD", rate: 0.291875 };
  /** 24.00 EUR is 3900 yen at this rate: no decimals at all. */
  const IN_YEN = { currency: "JPY", rate: 162.5 };

  it("gives back all a dinar order took for its one item, to the fils: 7.005, not 7.01, which Shopify refuses as more than was paid", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
      presentment: IN_DINARS,
      shippingLine: null,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;
    expect(line.price).toBe("7.005");

    const result = await cancelInFull(orderId, { [line.id]: 1 });

    expect(result).toMatchObject({ ok: true, refunded: "7.005", currency: "KWD" });
    const after = await sim.orderState(orderId);
    expect(refunds(after)).toEqual(["7.005"]);
    expect(after.financialStatus).toBe("REFUNDED");
  });

  it("shows and gives back a dinar order's suggestion with its tax to the fils", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      presentment: IN_DINARS,
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const shown = await previewFullRefund(sim.gateway, orderId, [
      { lineItemId: line.id, quantity: 1 },
    ]);
    const result = await cancelInFull(orderId, { [line.id]: 1 });

    // 7.005 and a third of 19 % of 21.015 (3.993): 1.331.
    expect(shown).toEqual({ amount: "8.336", tax: "1.331", currency: "KWD" });
    expect(result).toMatchObject({ ok: true, refunded: "8.336", currency: "KWD" });
    expect(refunds(await sim.orderState(orderId))).toEqual(["8.336"]);
  });

  it("shows and gives back a yen order's suggestion in whole yen", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 3 }],
      payment: "paid",
      presentment: IN_YEN,
      taxLines: VAT,
    });
    const line = (await sim.orderState(orderId)).lineItems[0]!;

    const shown = await previewFullRefund(sim.gateway, orderId, [
      { lineItemId: line.id, quantity: 1 },
    ]);
    const result = await cancelInFull(orderId, { [line.id]: 1 }, "store_credit");

    // 3900 and a third of 19 % of 11700 (2223): 741.
    expect(shown).toEqual({ amount: "4641", tax: "741", currency: "JPY" });
    expect(result).toMatchObject({ ok: true, refunded: "4641", currency: "JPY" });
    expect(refunds(await sim.orderState(orderId))).toEqual(["4641"]);
  });
});
